# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Jobs: functions and model methods that run later, in a job worker.

A function becomes a job function with ``@job``; ``delay()`` then stores a
call to it in ``queue.job`` and returns the job's uuid. A job runner
(``odoo-bin jobrunner``) performs it later in its own transaction, as the
user who delayed it::

    @job(default_channel='root.export', retry_pattern={1: 10, 5: 60})
    def export_partner(session, model_name, partner_id, fields=None):
        ...

    job_uuid = export_partner.delay(session, 'res.partner', partner.id,
                                    fields=['name'], priority=5, eta=60)

Options of ``delay()`` (and of ``with_delay()``, ``delayable()``): ``priority``,
``eta``, ``max_retries``, ``description``, ``channel``, and one of two keys:
``identity_key`` (no second unfinished job with the key: work done once) or
``coalesce_key`` (no second job with the key waiting to start: work that
sends the current state; ``Job.store`` tells both).

In the Odoo 11 idiom, a model method decorated with ``@job`` is delayed on
a recordset with ``records.with_delay(priority=..., eta=...).method(*args)``
(see ``models/base_job.py``).

Only what ``@job`` registered can ever run from a stored job: a stored row
is looked up by name in ``JOB_FUNCTIONS`` (functions) or must name a model
method decorated with ``@job``; anything else fails with a message.

This module holds the decorators; the registry they fill is
``job_functions.py``, and the job itself (``Job``, ``StoredJob``) is
``job_value.py``. All are importable from here.
"""
import functools

from ..exception import JobError
from .channels import ChannelConfigError, check_channel_name
from .graph import Delayable
from .job_functions import (DEFAULT_MAX_RETRIES, DEFAULT_PRIORITY, JOB_FUNCTIONS, JOB_OPTIONS,
                            JobOptions, find_job_method, job_options)
from .job_value import Job, StoredJob
from .retry import check_retry_pattern

__all__ = ['job', 'related_action', 'Job', 'StoredJob', 'JOB_FUNCTIONS', 'JOB_OPTIONS',
           'JobOptions', 'find_job_method', 'job_options', 'DEFAULT_PRIORITY',
           'DEFAULT_MAX_RETRIES']


def job(func=None, default_channel='root', retry_pattern=None, about=None, coalesce_key=None):
    """Make ``func`` a job function (or a job model method).

    Usable bare (``@job``) or with options (``@job(default_channel=...,
    retry_pattern={1: 10, 5: 60})``). A module-level function gets a
    ``delay(session, model_name, *args, **kwargs)`` attribute, and
    ``delayable(...)`` with the same arguments for a job graph
    (``graph.py``); a method defined in a model class is delayed through
    ``with_delay()`` (``delayable()`` for a graph).

    ``about``, for a function: called with the arguments of each
    ``delay()``, it returns the ``JobAbout`` stored with the job (what it
    works on, the backend it is counted with, the channel it goes to when
    the caller names none). A method job is about its records: their
    model's ``_job_about()`` tells it (``models/base_job.py``).

    ``coalesce_key``: called with the arguments of each ``delay()`` (for a
    method: the records, then the method's arguments), it returns the job's
    coalesce key (or None): the delay joins the job of that key that waits
    to start, if any (``Job.store``). A ``coalesce_key=`` given to
    ``delay()`` / ``with_delay()`` wins. For a stock export per product::

        @job(default_channel='root.shop',
             coalesce_key=lambda session, model_name, backend_id, product_id:
                 'shop-%s stock %s' % (backend_id, product_id))
        def export_stock(session, model_name, backend_id, product_id):
            ...  # reads the quantity now, and sends it
    """
    if func is None:
        return functools.partial(job, default_channel=default_channel,
                                 retry_pattern=retry_pattern, about=about,
                                 coalesce_key=coalesce_key)
    try:
        check_channel_name(default_channel)
        pattern = check_retry_pattern(retry_pattern)
    except (ChannelConfigError, ValueError) as err:
        raise JobError('@job on %s.%s: %s' % (func.__module__, func.__qualname__, err)) from err
    qualname = func.__qualname__
    if '.' in qualname and '<locals>' not in qualname and about is not None:
        raise JobError('@job(about=...) on method %s.%s: a method job is about its '
                       'records; override _job_about() on the model instead'
                       % (func.__module__, qualname))
    if coalesce_key is not None and not callable(coalesce_key):
        raise JobError('@job(coalesce_key=...) on %s.%s: give a function of the delay()\'s '
                       'arguments that returns the key; a fixed key is given to delay() '
                       'or with_delay()' % (func.__module__, qualname))
    func.connector_job = JobOptions(default_channel, pattern, about, coalesce_key)
    if '.' in qualname and '<locals>' not in qualname:
        return func  # a method of a model class: see find_job_method()
    func_string = '%s.%s' % (func.__module__, qualname)
    func.func_string = func_string
    JOB_FUNCTIONS[func_string] = func

    def delay(session, model_name, *args, **kwargs):
        return _function_job(func, session, model_name, args, kwargs).store(session.env)

    def delayable(session, model_name, *args, **kwargs):
        return Delayable(_function_job(func, session, model_name, args, kwargs), session.env)

    delay.__doc__ = ('Store a job calling %s(session, model_name, *args, **kwargs) and '
                     'return its uuid.' % func_string)
    delayable.__doc__ = ('A job calling %s(session, model_name, *args, **kwargs), not '
                         'stored yet: a part of a job graph (see queue/graph.py).'
                         % func_string)
    func.delay = delay
    func.delayable = delayable
    return func


def _function_job(func, session, model_name, args, kwargs):
    """The Job of a ``delay()`` of job function ``func``: options taken out of
    ``kwargs``, what it is about asked to its ``@job(about=...)`` hook."""
    options = {key: kwargs.pop(key) for key in JOB_OPTIONS if key in kwargs}
    hook = func.connector_job.about
    about = hook(session, model_name, *args, **kwargs) if hook is not None else None
    key_hook = func.connector_job.coalesce_key
    if options.get('coalesce_key') is None and key_hook is not None:
        options['coalesce_key'] = key_hook(session, model_name, *args, **kwargs)
    return Job(func=func, model_name=model_name, args=args, kwargs=kwargs, about=about,
               **options)


def related_action(action=None, **kwargs):
    """Tell which record a job is about, for the "Open related record" button.

    ``action`` is a function ``action(session, job, **kwargs)`` returning an
    Odoo action dict (or None), or, on a ``@job`` model method, the name of
    a method of the job's records returning one. Without it, a method job
    opens its records and a function job has no related record.
    """
    def decorate(func):
        func.related_action = action
        func.related_action_kwargs = kwargs
        return func
    return decorate
