# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``with_delay()`` on every model: delay a ``@job`` method of a recordset.

    class ResPartner(models.Model):
        _inherit = 'res.partner'

        @job(default_channel='root.export')
        @api.multi
        def export_to_shop(self, fields=None):
            ...

    job = partners.with_delay(priority=5, eta=60).export_to_shop(fields=['name'])
    job.uuid  # the stored job

The job runs later on the same records, as the user who delayed it. It is
stored with what it is about (``queue/about.py``): the records' model, their
id when there is one, and what their model's ``_job_about()`` adds -- the
backend of bindings, say.
"""
from odoo import models

from ..exception import JobError
from ..queue.about import JobAbout
from ..queue.graph import Delayable
from ..queue.job import JOB_OPTIONS, Job, find_job_method, job_options


class DelayableRecordset(object):
    """Stands for a recordset: calling a ``@job`` method stores a job instead.

    Returned by ``with_delay()``; the call returns the stored ``Job``. With
    ``graph``, returned by ``delayable()``: the call returns a ``Delayable``,
    a job of a graph not stored yet (``queue/graph.py``).
    """

    def __init__(self, records, graph=False, **options):
        unknown = set(options) - set(JOB_OPTIONS)
        if unknown:
            raise JobError('%s(): unknown option(s) %s; the options are %s'
                           % ('delayable' if graph else 'with_delay',
                              ', '.join(sorted(unknown)), ', '.join(JOB_OPTIONS)))
        self.records = records
        self.graph = graph
        self.options = options

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        if find_job_method(type(self.records), name) is None:
            raise JobError(
                '%s.%s is not a job: decorate the method with @job to delay it'
                % (self.records._name, name))

        def delay(*args, **kwargs):
            options = dict(self.options)
            key_hook = job_options(find_job_method(type(self.records), name)).coalesce_key
            if options.get('coalesce_key') is None and key_hook is not None:
                options['coalesce_key'] = key_hook(self.records, *args, **kwargs)
            new_job = Job(records=self.records, method_name=name, args=args,
                          kwargs=kwargs, about=self.records._job_about(), **options)
            if self.graph:
                return Delayable(new_job, self.records.env)
            new_job.store(self.records.env)
            return new_job
        return delay

    def __repr__(self):
        return '<DelayableRecordset %r %r>' % (self.records, self.options)


class Base(models.AbstractModel):
    # models/base.py extends `base` too, for record events: one concern a file
    _inherit = 'base'  # pylint: disable=consider-merging-classes-inherited

    def with_delay(self, priority=None, eta=None, max_retries=None, description=None,
                   channel=None, identity_key=None, coalesce_key=None):
        """Delay the next ``@job`` method call on these records.

        Options as for ``delay()``: ``priority`` (smaller first, default 10),
        ``eta`` (datetime, timedelta or seconds), ``max_retries`` (default
        5; 0 means no limit), ``description``, ``channel``, ``identity_key``
        (no second unfinished job with the same key is stored: for work done
        once, such as creating a record on the remote), ``coalesce_key`` (no
        second job with the key waiting to start: the delay joins the waiting
        one, which then starts after this transaction's commit; for work that
        sends the current state, such as a product's stock; see
        ``Job.store``). Give one key or the other, not both.
        """
        options = dict(priority=priority, eta=eta, max_retries=max_retries,
                       description=description, channel=channel,
                       identity_key=identity_key, coalesce_key=coalesce_key)
        return DelayableRecordset(self, **{k: v for k, v in options.items() if v is not None})

    def delayable(self, priority=None, eta=None, max_retries=None, description=None,
                  channel=None, identity_key=None, coalesce_key=None):
        """Describe the next ``@job`` method call on these records as a job of a
        graph, not stored yet: ``records.delayable().method(*args)`` returns a
        ``Delayable`` for ``chain()``, ``group()`` and ``on_done()``
        (``queue/graph.py``). Options as for ``with_delay()``.
        """
        options = dict(priority=priority, eta=eta, max_retries=max_retries,
                       description=description, channel=channel,
                       identity_key=identity_key, coalesce_key=coalesce_key)
        return DelayableRecordset(self, graph=True,
                                  **{k: v for k, v in options.items() if v is not None})

    def _job_about(self):
        """What a job on these records is about (``queue/about.py``): their model,
        and their id when they are one record.

        ``with_delay()`` stores it with each job on them, and the connector's
        job functions ask it of the record they get (``@job(about=...)``).
        Override this method to add the record whose jobs these are counted
        with and the channel they go to, as ``connector.backend`` and
        ``external.binding`` do (call ``super()`` and ``_replace`` parts).
        """
        one = len(self) == 1 and isinstance(self._ids[0], int)  # not a new record
        return JobAbout(self._name, self._ids[0] if one else None)
