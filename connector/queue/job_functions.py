# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The registry of job functions: what ``@job`` marked, and so may run.

``@job`` (``job.py``) records a function here by its ``func_string``
(``module.name``) and marks a model method with its options. A stored job
names what it calls; only a name found here, or a model method marked with
``@job``, can ever run from a stored row.
"""
from typing import Callable, Dict, NamedTuple, Optional

from .about import JobAbout

DEFAULT_PRIORITY = 10
DEFAULT_MAX_RETRIES = 5

#: Every function decorated with ``@job`` in this process, by its
#: ``func_string`` (``module.name``). The only functions a job may call.
JOB_FUNCTIONS = {}  # type: Dict[str, Callable]

#: Keyword arguments of ``delay()`` and ``with_delay()`` that are options of
#: the job, not arguments of the function.
JOB_OPTIONS = ('priority', 'eta', 'max_retries', 'description', 'channel',
               'identity_key', 'coalesce_key')


#: ``@job(about=...)``: given the arguments of ``delay()`` (session, model
#: name, then the function's own), what the job is about (``about.py``).
AboutHook = Callable[..., JobAbout]

#: ``@job(coalesce_key=...)``: given the arguments of ``delay()`` (session,
#: model name, then the function's own; for a method: the records, then its
#: own), the coalesce key of the job, or None for none.
CoalesceKeyHook = Callable[..., Optional[str]]


class JobOptions(NamedTuple):
    """What ``@job`` says about a function: its default channel, retry pattern,
    what its jobs are about and how their coalesce key is made."""

    default_channel: str
    retry_pattern: Dict[int, int]
    about: Optional[AboutHook] = None
    coalesce_key: Optional[CoalesceKeyHook] = None


def job_options(func) -> Optional[JobOptions]:
    """The ``JobOptions`` of a ``@job`` function or method, else None."""
    return getattr(func, 'connector_job', None)


def find_job_method(model_class, name: Optional[str]):
    """The ``@job``-decorated definition of method ``name`` of a model class.

    Looks through the class's bases, so that an override in another addon
    need not repeat the decorator. None when no definition is decorated.
    """
    for klass in model_class.__mro__:
        candidate = klass.__dict__.get(name)
        if candidate is not None and job_options(candidate) is not None:
            return candidate
    return None
