# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A job as a value: ``Job``, one call to a job function or method, and
``StoredJob``, a job as read from its row.

A ``Job`` always has one shape: what it calls (``func`` or ``records`` and
``method_name``), its decoded arguments and its options. ``delay()`` and
``with_delay()`` build one and ``store()`` it. A worker reads a row as a
``StoredJob`` -- the stored texts, nothing decoded, no code looked up --
because decoding and finding the function can fail, and that failure is
the job's outcome; ``StoredJob.resolve(env)`` then builds the ``Job``.
"""
import uuid as uuid_module
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, NamedTuple, Optional

from odoo import sql_db

from ..exception import FailedJobError, JobError, NoSuchJobError
from ..installed import get_odoo_module, is_module_installed
from ..session import ConnectorSession
from .about import NOTHING, JobAbout
from .bulk import waiting_batch
from .channels import ChannelConfigError, check_channel_name
from .encoding import decode_arguments, encode_arguments
from .job_functions import (DEFAULT_MAX_RETRIES, DEFAULT_PRIORITY, JOB_FUNCTIONS, JobOptions,
                            find_job_method, job_options)
from .store import QueueStore


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
    ``StoredJob.resolve(env)`` from a stored row (``Job.load(env,
    uuid).resolve(env)``). ``perform(env)`` runs it in ``env``; the runner
    does that in the job's own transaction.
    """

    def __init__(self, func=None, model_name=None, args=None, kwargs=None,
                 priority=None, eta=None, job_uuid=None, max_retries=None,
                 description=None, channel=None, identity_key=None,
                 records=None, method_name=None, *, retry=0, user_id=None, company_id=None,
                 about=None, coalesce_key=None):
        self.uuid = job_uuid or str(uuid_module.uuid4())
        self.args = tuple(args or ())
        self.kwargs = dict(kwargs or {})
        self.model_name = model_name
        self.method_name = method_name
        self.record_ids = None
        self.records = records
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
        if about is not None and not isinstance(about, JobAbout):
            raise JobError('job %s: what it is about must be a JobAbout, not %r (see '
                           'queue/about.py)' % (self.func_string, about))
        #: What the job is about, told by who delays it (``about.py``).
        self.about = about if about is not None else NOTHING
        # a channel given by the caller wins; then the channel of what the job
        # is about (its backend's, say); then the function's default
        self.channel = channel or self.about.channel or (
            options.default_channel if options else 'root')
        try:
            check_channel_name(self.channel)
        except ChannelConfigError as err:
            raise JobError('job %s: %s' % (self.func_string, err)) from err
        self.retry_pattern = options.retry_pattern if options else {}
        self.description = description or self._default_description()
        self.identity_key = identity_key
        #: No second job with this key waits to start (``store()``)
        self.coalesce_key = coalesce_key
        self._check_keys()
        self.user_id = user_id
        self.company_id = company_id
        self.state = None
        #: Tries so far: 0 for a new job; a loaded one's count, this try included
        self.retry = retry
        self.result = self.exc_info = None

    def _check_keys(self):
        key = self.coalesce_key
        if key is not None and (not isinstance(key, str) or not key):
            raise JobError("coalesce_key %r of job %s: give a non-empty text, such as "
                           "'shop-1 stock P-42'" % (key, self.func_string))
        if self.identity_key is not None and self.coalesce_key is not None:
            raise JobError(
                'job %s: give identity_key (no second unfinished job with the key) or '
                'coalesce_key (no second waiting job with the key), not both'
                % self.func_string)

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
        ``QueueStore.enqueue``).

        When a job with the same coalesce key waits to start (pending, never
        started), nothing is stored and that job's uuid is returned; that job
        then cannot start before this transaction ends, so it runs after the
        change this delay was made for is committed. A job of the key that
        has started does not count: this one is stored, and starts only
        after it (no two jobs of a coalesce key run at once). So a job that
        reads the state it sends (a product's stock) never misses the last
        change, and a burst of delays makes a few jobs. Give the first delay
        of a burst an ``eta`` to gather it: later delays join that job and
        keep its eta (and its other options), so a stream of delays never
        pushes it back.

        In a ``bulk_enqueue`` block (``bulk.py``) a job without an identity
        or coalesce key is stored when the block ends, with the others, with
        one COPY; a keyed one is stored at once. Arguments are encoded first:
        an argument that cannot be stored raises ``JobArgumentError`` and
        nothing is stored. The job then holds what was stored: its uuid,
        user and company.
        """
        batch = waiting_batch(env.cr)
        values = self.values(env, batch.company_id(env) if batch else None)
        if batch is not None and not self.identity_key and not self.coalesce_key:
            # in a bulk_enqueue block
            batch.add(values)
        else:
            self.uuid = QueueStore(env.cr).enqueue(
                values, new_cursor=lambda: sql_db.db_connect(env.cr.dbname).cursor())
        self.user_id, self.company_id = values['user_id'], values['company_id']
        self.state = 'pending'
        return self.uuid

    def values(self, env, company_id=None):
        """The parameters of ``queries.INSERT_JOB`` for this job, delayed as
        ``env``'s user (in ``company_id``, by default the user's company).
        Raises ``JobArgumentError`` when an argument cannot be stored. The
        job is left as it was: ``store()`` records what was stored."""
        args = encode_arguments(list(self.args))
        kwargs = encode_arguments(self.kwargs)
        record_ids = encode_arguments(self.record_ids) if self.record_ids is not None else None
        return {
            'uuid': self.uuid, 'name': self.description, 'func_string': self.func_string,
            'model_name': self.model_name, 'method_name': self.method_name,
            'record_ids': record_ids, 'args': args, 'kwargs': kwargs,
            'user_id': env.uid, 'company_id': company_id or env.user.company_id.id,
            'channel': self.channel, 'priority': self.priority, 'eta': self.eta,
            'max_retries': self.max_retries, 'identity_key': self.identity_key,
            'coalesce_key': self.coalesce_key,
            **self.about.columns(),
        }

    @classmethod
    def load(cls, env, job_uuid) -> 'StoredJob':
        """The stored job with this uuid, as read (``resolve(env)`` gives the Job);
        raises NoSuchJobError when there is none."""
        row = QueueStore(env.cr).job_row(job_uuid)
        if row is None:
            raise NoSuchJobError('no job with uuid %s in database %s' % (job_uuid, env.cr.dbname))
        return StoredJob.from_row(row)

    # -- execution ---------------------------------------------------------------

    def _called(self):
        """The ``@job`` function, or the ``@job`` definition of the method."""
        if self.records is not None:
            return find_job_method(type(self.records), self.method_name)
        return self.func

    def perform(self, env):
        """Run the job in ``env`` and return its result."""
        if self.records is not None:
            return getattr(self.records.with_env(env), self.method_name)(
                *self.args, **self.kwargs)
        session = ConnectorSession(env.cr, env.uid, context=dict(env.context))
        return self.func(session, self.model_name, *self.args, **self.kwargs)

    def related_action(self, env):
        """The Odoo action dict that opens what the job is about, or None."""
        called = self._called()
        action = getattr(called, 'related_action', None)
        kwargs = getattr(called, 'related_action_kwargs', {})
        if isinstance(action, str) and self.records is not None:
            return getattr(self.records.with_env(env), action)(**kwargs)
        if callable(action):
            # checked by callable() above  # pylint: disable-next=not-callable
            return action(ConnectorSession(env.cr, env.uid, dict(env.context)), self, **kwargs)
        if self.records:
            records = self.records.with_env(env).exists()
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


def _timestamp(text: str) -> datetime:
    """A timestamp as PostgreSQL writes it for Odoo's cursors ('2026-12-07 04:28:08.38313').

    Not ``datetime.fromisoformat``: on Python 3.7 it takes only 3 or 6 digits
    of fraction, and PostgreSQL drops trailing zeros (a retried job's eta
    with 5 digits failed the job).
    """
    return datetime.strptime(text, '%Y-%m-%d %H:%M:%S.%f' if '.' in text else '%Y-%m-%d %H:%M:%S')


class StoredJob(NamedTuple):
    """A job as its row holds it (``queries.JOB_ROW_COLUMNS``): texts and ids, its
    arguments still encoded, what it calls not looked up yet.

    What a worker knows of a job before running it -- its user and company,
    its tries -- so that a job that cannot even be resolved (a function
    renamed, an addon uninstalled) still gets an outcome. ``resolve(env)``
    gives the ``Job``.
    """

    uuid: str
    name: Optional[str]
    func_string: str
    model_name: Optional[str]
    method_name: Optional[str]
    record_ids: Optional[str]
    args: Optional[str]
    kwargs: Optional[str]
    user_id: Optional[int]
    company_id: Optional[int]
    channel: str
    retry: int
    max_retries: int
    priority: int
    eta: Any  # a datetime, or its text when read by an Odoo cursor
    identity_key: Optional[str]

    @property
    def retry_pattern(self) -> Dict[int, int]:
        """Unknown until the function is found: none (a job that cannot be
        resolved fails without a retry, FailedJobError)."""
        return {}

    @classmethod
    def from_row(cls, row: Dict[str, Any]) -> 'StoredJob':
        """From a dict of ``queries.JOB_ROW_COLUMNS``, as ``QueueStore`` reads a row."""
        return cls(**row)

    def resolve(self, env) -> Job:
        """The Job: arguments decoded, what it calls found; FailedJobError if impossible."""
        args = decode_arguments(self.args, env) or ()
        kwargs = decode_arguments(self.kwargs, env) or {}
        records, func = None, None
        if self.method_name:
            if self.model_name not in env.registry:
                raise FailedJobError(
                    'job %s calls %s, but model %r does not exist in database %s: is its '
                    'addon installed? Install it, or cancel the job.'
                    % (self.uuid, self.func_string, self.model_name, env.cr.dbname))
            if find_job_method(type(env[self.model_name]), self.method_name) is None:
                raise FailedJobError(
                    'job %s calls %s, which is not a method decorated with @job: only '
                    '@job methods can run from a stored job. Cancel the job.'
                    % (self.uuid, self.func_string))
            records = env[self.model_name].browse(decode_arguments(self.record_ids, env) or [])
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
        eta = _timestamp(self.eta) if isinstance(self.eta, str) else self.eta
        return Job(func=func, model_name=self.model_name, args=args, kwargs=kwargs,
                   priority=self.priority, eta=eta, job_uuid=self.uuid,
                   max_retries=self.max_retries, description=self.name, channel=self.channel,
                   identity_key=self.identity_key, records=records,
                   method_name=self.method_name, retry=self.retry, user_id=self.user_id,
                   company_id=self.company_id)

    def related_action(self, env):
        """The Odoo action dict that opens what the job is about, or None."""
        return self.resolve(env).related_action(env)
