# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a job is about: stored with the job when it is delayed, told by its producer.

The queue does not read a job's arguments to learn what it works on: the
code that delays the job says it, with a ``JobAbout``, and the queue
stores it in four plain, indexed columns of ``queue_job``:

* ``about_model``, ``about_id``: the record the job works on (``about_id``
  is empty when it works on several records of ``about_model``);
* ``backend_model``, ``backend_id``: the record whose jobs this one is
  counted with -- for a connector, the backend of the external system the
  job talks to. Counting or listing one backend's jobs is then one grouped
  query on an index (``QueueStore.backend_job_ids``), not a parse of the
  stored arguments.

``channel`` is not stored as such: it is the channel the job goes to when
its caller names none (``None``: the function's default channel). So a
producer routes all the jobs of one external account to that account's
channel, and its rate limit, without the queue knowing what an account is.

Who tells: ``@job(about=hook)`` for a job function (the hook gets the
arguments of ``delay()`` and returns a ``JobAbout``), and the records'
``_job_about()`` for a ``@job`` method delayed with ``with_delay()``
(``models/base_job.py``); the connector's backends and bindings override it.

    >>> about = JobAbout('shop.binding', 12, 'shop.backend', 3, channel='root.shop_3')
    >>> sorted(about.columns().items())
    [('about_id', 12), ('about_model', 'shop.binding'), ('backend_id', 3), \
('backend_model', 'shop.backend')]
    >>> JobAbout().columns()['backend_id'] is None
    True
"""
from typing import Any, Dict, NamedTuple, Optional


class JobAbout(NamedTuple):
    """What a job is about (see the module docstring); every part may be None."""

    model: Optional[str] = None
    res_id: Optional[int] = None
    backend_model: Optional[str] = None
    backend_id: Optional[int] = None
    channel: Optional[str] = None

    def columns(self) -> Dict[str, Any]:
        """The values of the ``queue_job`` columns that store it."""
        return {'about_model': self.model, 'about_id': self.res_id,
                'backend_model': self.backend_model, 'backend_id': self.backend_id}


#: Nothing known: what a job delayed without a hook, or on no record, is about.
NOTHING = JobAbout()
