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

In the Odoo 11 idiom, a model method decorated with ``@job`` is delayed on
a recordset with ``records.with_delay(priority=..., eta=...).method(*args)``
(see ``models/base_job.py``).

Only what ``@job`` registered can ever run from a stored job: a stored row
is looked up by name in ``JOB_FUNCTIONS`` (functions) or must name a model
method decorated with ``@job``; anything else fails with a message.
"""
import functools
import uuid as uuid_module
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, NamedTuple, Optional

from odoo import sql_db

from ..exception import FailedJobError, JobError, NoSuchJobError
from ..installed import get_odoo_module, is_module_installed
from ..session import ConnectorSession
from .bulk import waiting_batch
from .channels import ChannelConfigError, check_channel_name
from .encoding import decode_arguments, encode_arguments
from .graph import Delayable
from .retry import check_retry_pattern
from .store import QueueStore

DEFAULT_PRIORITY = 10
DEFAULT_MAX_RETRIES = 5

#: Every function decorated with ``@job`` in this process, by its
#: ``func_string`` (``module.name``). The only functions a job may call.
JOB_FUNCTIONS = {}  # type: Dict[str, Callable]

#: Keyword arguments of ``delay()`` and ``with_delay()`` that are options of
#: the job, not arguments of the function.
JOB_OPTIONS = ('priority', 'eta', 'max_retries', 'description', 'channel',
               'identity_key')


class JobOptions(NamedTuple):
    """What ``@job`` says about a function: its default channel and retry pattern."""

    default_channel: str
    retry_pattern: Dict[int, int]


def job(func=None, default_channel='root', retry_pattern=None):
    """Make ``func`` a job function (or a job model method).

    Usable bare (``@job``) or with options (``@job(default_channel=...,
    retry_pattern={1: 10, 5: 60})``). A module-level function gets a
    ``delay(session, model_name, *args, **kwargs)`` attribute, and
    ``delayable(...)`` with the same arguments for a job graph
    (``graph.py``); a method defined in a model class is delayed through
    ``with_delay()`` (``delayable()`` for a graph).
    """
    if func is None:
        return functools.partial(job, default_channel=default_channel,
                                 retry_pattern=retry_pattern)
    try:
        check_channel_name(default_channel)
        pattern = check_retry_pattern(retry_pattern)
    except (ChannelConfigError, ValueError) as err:
        raise JobError('@job on %s.%s: %s' % (func.__module__, func.__qualname__, err)) from err
    func.connector_job = JobOptions(default_channel, pattern)
    qualname = func.__qualname__
    if '.' in qualname and '<locals>' not in qualname:
        return func  # a method of a model class: see find_job_method()
    func_string = '%s.%s' % (func.__module__, qualname)
    func.func_string = func_string
    JOB_FUNCTIONS[func_string] = func

    def delay(session, model_name, *args, **kwargs):
        options = {key: kwargs.pop(key) for key in JOB_OPTIONS if key in kwargs}
        new_job = Job(func=func, model_name=model_name, args=args, kwargs=kwargs, **options)
        return new_job.store(session.env)

    def delayable(session, model_name, *args, **kwargs):
        options = {key: kwargs.pop(key) for key in JOB_OPTIONS if key in kwargs}
        new_job = Job(func=func, model_name=model_name, args=args, kwargs=kwargs, **options)
        return Delayable(new_job, session.env)

    delay.__doc__ = ('Store a job calling %s(session, model_name, *args, **kwargs) and '
                     'return its uuid.' % func_string)
    delayable.__doc__ = ('A job calling %s(session, model_name, *args, **kwargs), not '
                         'stored yet: a part of a job graph (see queue/graph.py).'
                         % func_string)
    func.delay = delay
    func.delayable = delayable
    return func


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


def job_options(func) -> Optional[JobOptions]:
    """The ``JobOptions`` of a ``@job`` function or method, else None."""
    return getattr(func, 'connector_job', None)


def find_job_method(model_class, name):
    """The ``@job``-decorated definition of method ``name`` of a model class.

    Looks through the class's bases, so that an override in another addon
    need not repeat the decorator. None when no definition is decorated.
    """
    for klass in model_class.__mro__:
        candidate = klass.__dict__.get(name)
        if candidate is not None and job_options(candidate) is not None:
            return candidate
    return None


def _eta_datetime(eta):
    """A naive UTC datetime for an eta given as seconds, timedelta or datetime."""
    if eta is None or isinstance(eta, datetime) and eta.tzinfo is None:
        return eta
    if isinstance(eta, datetime):
        return eta.astimezone(timezone.utc).replace(tzinfo=None)
    if isinstance(eta, timedelta):
        return datetime.utcnow() + eta
    if isinstance(eta, (int, float)) and not isinstance(eta, bool):
        return datetime.utcnow() + timedelta(seconds=eta)
    raise JobError('eta %r: give a datetime (naive = UTC), a timedelta or a number of '
                   'seconds from now' % (eta,))


class Job(object):
    """One call to a job function or method, stored or about to be.

    Built by ``delay()`` / ``with_delay()`` (then ``store(env)`` it), or by
    ``Job.load(env, uuid)`` from a stored row. ``perform(env)`` runs it in
    ``env``; the runner does that in the job's own transaction.
    """

    #: A loaded job's stored arguments (args, kwargs, record_ids), which
    #: ``resolve()`` decodes.
    encoded: Dict[str, Any]

    def __init__(self, func=None, model_name=None, args=None, kwargs=None,
                 priority=None, eta=None, job_uuid=None, max_retries=None,
                 description=None, channel=None, identity_key=None,
                 records=None, method_name=None):
        self.uuid = job_uuid or str(uuid_module.uuid4())
        self.args = tuple(args or ())
        self.kwargs = dict(kwargs or {})
        self.model_name = model_name
        self.method_name = method_name
        self.record_ids = None
        self.func = func
        self.func_string: Optional[str] = None
        options: Optional[JobOptions] = None
        if records is not None:
            self.model_name = records._name
            self.record_ids = list(records._ids)
            self.func_string = '%s.%s' % (records._name, method_name)
            options = job_options(find_job_method(type(records), method_name))
        elif func is not None:
            self.func_string = getattr(func, 'func_string', None)
            options = job_options(func)
        if options is None and (func is not None or records is not None):
            raise JobError('%s is not a job: decorate it with @job before delaying it'
                           % (self.func_string or func,))
        if self.model_name is not None and not isinstance(self.model_name, str):
            raise JobError('model_name %r of job %s must be a model name such as '
                           "'res.partner'" % (self.model_name, self.func_string))
        self.priority = DEFAULT_PRIORITY if priority is None else priority
        self.max_retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
        for option in ('priority', 'max_retries'):
            value = getattr(self, option)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise JobError('%s %r of job %s: give a whole number from 0'
                               % (option, value, self.func_string))
        self.eta = _eta_datetime(eta)
        #: Whether ``channel`` was given: if not, ``values()`` may route the job
        #: to its backend's channel (``queue.job._job_channel``).
        self.channel_given = bool(channel)
        self.channel = channel or (options.default_channel if options else 'root')
        try:
            check_channel_name(self.channel)
        except ChannelConfigError as err:
            raise JobError('job %s: %s' % (self.func_string, err)) from err
        self.retry_pattern = options.retry_pattern if options else {}
        self.description = description or self._default_description()
        self.identity_key = identity_key
        self.user_id = self.company_id = None
        self.state = None
        self.retry = 0
        self.result = self.exc_info = None

    def _default_description(self):
        doc = getattr(self.func, '__doc__', None) if self.func else None
        if self.method_name and self.model_name and not doc:
            return '%s.%s' % (self.model_name, self.method_name)
        first_line = (doc or '').strip().split('\n')[0].strip()
        return first_line or self.func_string

    # -- storage ---------------------------------------------------------------

    def store(self, env):
        """Insert the job (as ``env``'s user and company) and return its uuid.

        When an unfinished job has the same identity key, nothing is stored
        and that job's uuid is returned -- also when another transaction
        stored it concurrently and committed after this one began: that job
        is then read from a new transaction (this one cannot see it; see
        ``QueueStore.enqueue``). In a ``bulk_enqueue`` block (``bulk.py``)
        a job without an identity key is stored when the block ends, with
        the others, with one COPY. Arguments are encoded first:
        an argument that cannot be stored raises ``JobArgumentError`` and
        nothing is stored.
        """
        batch = waiting_batch(env.cr)
        values = self.values(env, batch.company_id(env) if batch else None)
        if batch is not None and not self.identity_key:  # in a bulk_enqueue block
            batch.add(values)
        else:
            self.uuid = QueueStore(env.cr).enqueue(
                values, new_cursor=lambda: sql_db.db_connect(env.cr.dbname).cursor())
        self.state = 'pending'
        return self.uuid

    def values(self, env, company_id=None):
        """The parameters of ``queries.INSERT_JOB`` for this job, delayed as
        ``env``'s user (in ``company_id``, by default the user's company).
        Raises ``JobArgumentError`` when an argument cannot be stored."""
        args = encode_arguments(list(self.args))
        kwargs = encode_arguments(self.kwargs)
        record_ids = encode_arguments(self.record_ids) if self.record_ids is not None else None
        if not self.channel_given:
            self.channel = env['queue.job']._job_channel(self)
            self.channel_given = True  # routed once: a second values() keeps it
        self.user_id = env.uid
        self.company_id = company_id or env.user.company_id.id
        return {
            'uuid': self.uuid, 'name': self.description, 'func_string': self.func_string,
            'model_name': self.model_name, 'method_name': self.method_name,
            'record_ids': record_ids, 'args': args, 'kwargs': kwargs,
            'user_id': self.user_id, 'company_id': self.company_id,
            'channel': self.channel, 'priority': self.priority, 'eta': self.eta,
            'max_retries': self.max_retries, 'identity_key': self.identity_key,
        }

    @classmethod
    def load(cls, env, job_uuid):
        """The stored job with this uuid; raises NoSuchJobError when there is none."""
        row = QueueStore(env.cr).job_row(job_uuid)
        if row is None:
            raise NoSuchJobError('no job with uuid %s in database %s' % (job_uuid, env.cr.dbname))
        return cls.from_row(env, row)

    @classmethod
    def from_row(cls, env, row):
        """A Job from a ``queue_job`` row, a dict of ``queries.JOB_ROW_COLUMNS`` as
        ``QueueStore`` reads it; arguments stay encoded until resolve()."""
        new = cls.__new__(cls)
        new.uuid = row['uuid']
        new.func_string = row['func_string']
        new.model_name = row['model_name']
        new.method_name = row['method_name']
        new.description = row['name']
        new.channel = row['channel']
        new.channel_given = True
        new.retry = row['retry']
        new.max_retries = row['max_retries']
        new.user_id = row['user_id']
        new.company_id = row['company_id']
        new.encoded = {key: row[key] for key in ('args', 'kwargs', 'record_ids')}
        new.func = new.records = None
        new.retry_pattern = {}  # known once resolve() has found the function
        return new

    # -- execution ---------------------------------------------------------------

    def resolve(self, env):
        """Decode the arguments and find what to call; raise FailedJobError if impossible.

        Sets ``args``, ``kwargs``, ``records`` (method jobs), ``func`` and
        ``retry_pattern``.
        """
        self.args = tuple(decode_arguments(self.encoded['args'], env) or ())
        self.kwargs = decode_arguments(self.encoded['kwargs'], env) or {}
        self.records = None
        if self.method_name:
            if self.model_name not in env.registry:
                raise FailedJobError(
                    'job %s calls %s, but model %r does not exist in database %s: is its '
                    'addon installed? Install it, or cancel the job.'
                    % (self.uuid, self.func_string, self.model_name, env.cr.dbname))
            method = find_job_method(type(env[self.model_name]), self.method_name)
            if method is None:
                raise FailedJobError(
                    'job %s calls %s, which is not a method decorated with @job: only '
                    '@job methods can run from a stored job. Cancel the job.'
                    % (self.uuid, self.func_string))
            ids = decode_arguments(self.encoded['record_ids'], env) or []
            self.records = env[self.model_name].browse(ids)
            self.func = method
        else:
            func = JOB_FUNCTIONS.get(self.func_string or '')
            if func is None:
                raise FailedJobError(
                    'job %s calls %r, which is not a function decorated with @job in this '
                    'worker: only @job functions can run from a stored job. If it was '
                    'renamed or removed, cancel the job; else deploy its code on every '
                    'worker and requeue the job.' % (self.uuid, self.func_string))
            addon = get_odoo_module(func)
            if not is_module_installed(env, addon):
                raise FailedJobError(
                    'job %s calls %s of addon %s, which is not installed in database %s: '
                    'install the addon, or cancel the job.'
                    % (self.uuid, self.func_string, addon, env.cr.dbname))
            self.func = func
        options = job_options(self.func)  # found above as a @job: never None
        self.retry_pattern = options.retry_pattern if options else {}
        return self

    def perform(self, env):
        """Run the job in ``env`` and return its result (call resolve() first)."""
        if self.records is not None:
            return getattr(self.records.with_env(env), self.method_name)(
                *self.args, **self.kwargs)
        session = ConnectorSession(env.cr, env.uid, context=dict(env.context))
        return self.func(session, self.model_name, *self.args, **self.kwargs)

    def related_action(self, env):
        """The Odoo action dict that opens what the job is about, or None."""
        self.resolve(env)
        action = getattr(self.func, 'related_action', None)
        kwargs = getattr(self.func, 'related_action_kwargs', {})
        if isinstance(action, str) and self.records is not None:
            return getattr(self.records, action)(**kwargs)
        if callable(action):
            # checked by callable() above  # pylint: disable-next=not-callable
            return action(ConnectorSession(env.cr, env.uid, dict(env.context)), self, **kwargs)
        if self.records:
            records = self.records.exists()
            action = {'type': 'ir.actions.act_window', 'res_model': records._name,
                      'name': self.description}
            if len(records) == 1:
                action.update(view_mode='form', res_id=records.id)
            else:
                action.update(view_mode='tree,form', domain=[('id', 'in', records.ids)])
            return action
        return None

    def __repr__(self):
        return '<Job %s %s>' % (self.uuid, self.func_string)
