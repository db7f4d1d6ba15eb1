# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job functions used by the job queue tests (in-process and end-to-end)."""
import fcntl
import os
import time

from odoo.addons.connector.exception import (FailedJobError, NothingToDoJob, RemoteThrottled,
                                             RetryableJobError)
from odoo.addons.connector.queue.job import job, related_action


def _open_row(session, job, **kwargs):
    row = session.env['test.queue.job.row'].search([('key', '=', job.args[0])], limit=1)
    return {'type': 'ir.actions.act_window', 'res_model': row._name, 'res_id': row.id,
            'view_mode': 'form'}


@job
@related_action(action=_open_row)
def insert_row(session, model_name, key, note=None):
    """Insert one test row named key."""
    now = time.time()
    session.env[model_name].create({'key': key, 'note': note, 'pid': os.getpid(),
                                    'started': now, 'ended': now})
    return 'row %s' % key


@job(default_channel='root.slow')
def sleep_then_insert(session, model_name, key, seconds):
    """Sleep (in Python), then insert a row with the start and end times."""
    started = time.time()
    time.sleep(seconds)
    session.env[model_name].create({'key': key, 'pid': os.getpid(), 'started': started,
                                    'ended': time.time()})


@job(default_channel='root.slow')
def gated_insert(session, model_name, key, gate):
    """Wait at the gate file ``gate`` until the test releases it (a test keeps the job
    running until it has killed or signalled its worker, on a machine of any speed),
    then insert a row with the start and end times.

    The test holds an exclusive ``flock`` on the file (``support.jobrunner.Gate``);
    the job blocks in the kernel for a shared one, without polling. A release that
    came before the job reached the gate lets it through at once; a signal wakes the
    wait (kill -9 ends the job at once; a handler that raises interrupts it). The job's
    transaction stays idle meanwhile: a killed worker's database session ends at once,
    as with ``sleep_then_insert``."""
    started = time.time()
    descriptor = os.open(gate, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH)
    finally:
        os.close(descriptor)
    session.env[model_name].create({'key': key, 'pid': os.getpid(), 'started': started,
                                    'ended': time.time()})


@job
def db_sleep_then_insert(session, model_name, key, seconds, marker):
    """Sleep in PostgreSQL (a query tagged with marker), then insert a row."""
    started = time.time()
    session.cr.execute('SELECT pg_sleep(%s) /* {} */'.format(marker.replace('*', '')),
                       (seconds,))
    session.env[model_name].create({'key': key, 'pid': os.getpid(), 'started': started,
                                    'ended': time.time()})


@job(retry_pattern={1: 1, 3: 2})
def always_retry(session, model_name, key):
    """Insert a row, then ask to be retried (the row is rolled back)."""
    session.env[model_name].create({'key': key})
    raise RetryableJobError('remote busy for %s, try again' % key)


@job
def fail_with(session, model_name, key, kind):
    """Insert a row, then raise: FailedJobError, NothingToDoJob or ZeroDivisionError."""
    session.env[model_name].create({'key': key})
    if kind == 'failed':
        raise FailedJobError('record %s refused by the remote' % key)
    if kind == 'nothing':
        raise NothingToDoJob('record %s already up to date' % key)
    return 1 / 0


@job
def fail_unless_row(session, model_name, key, needed):
    """Insert a row named key once a row named needed exists; fail until then."""
    if not session.env[model_name].search([('key', '=', needed)]):
        raise FailedJobError('row %s missing for %s: create it, then requeue this job'
                             % (needed, key))
    now = time.time()
    session.env[model_name].create({'key': key, 'pid': os.getpid(), 'started': now,
                                    'ended': now})


@job
def throttled_once(session, model_name, key, seconds):
    """The first try meets a remote that throttles: it commits a row ``key-throttled``
    (in a transaction of its own: the job's is rolled back) with its start and end
    times, then raises ``RemoteThrottled(seconds)``; the next try inserts row ``key``."""
    started = time.time()
    marker = key + '-throttled'
    if session.env[model_name].search_count([('key', '=', marker)]):
        session.env[model_name].create({'key': key, 'pid': os.getpid(), 'started': started,
                                        'ended': time.time()})
        return
    with session.env.registry.cursor() as cr:  # commits on leaving
        cr.execute('INSERT INTO test_queue_job_row (key, pid, started, ended) '
                   'VALUES (%s, %s, %s, %s)', (marker, os.getpid(), started, time.time()))
    raise RemoteThrottled('remote of %s answered 429 Too Many Requests' % key,
                          seconds=seconds)


@job
def create_secret(session, model_name, key):
    """Create a record of a model that only connector managers may create."""
    session.env['test.queue.job.secret'].create({'name': key})


@job
def whoami(session, model_name, key):
    """Insert a row whose note is the user login, language and company of the job."""
    env = session.env
    session.env[model_name].create({'key': key, 'note': '%s|%s|%s' % (
        env.user.login, env.context.get('lang'), env.context.get('force_company'))})


@job
def noop(session, model_name, number):
    """Do nothing (benchmarks)."""


@job
def stamp(session, model_name, number):
    """Return the time the job ran, for latency measurements (benchmarks)."""
    return '%.6f' % time.time()


def stock_key(session, model_name, product, seconds=0):
    """The coalesce key of export_stock: one waiting export per product."""
    return 'stock %s' % product


@job(coalesce_key=stock_key)
def export_stock(session, model_name, product, seconds=0):
    """Send the stock of a product: read its row ``product-stock`` now, then (after
    ``seconds``, the remote's answer time) write what was read in a row
    ``product-sent``, with the job's start and end times."""
    started = time.time()
    stock = session.env[model_name].search([('key', '=', product + '-stock')], limit=1)
    time.sleep(seconds)
    session.env[model_name].create({'key': product + '-sent', 'note': stock.note,
                                    'pid': os.getpid(), 'started': started,
                                    'ended': time.time()})


@job
def leave_session_state(session, model_name, key):
    """Leave state in the database session of the job's connection: a setting, a
    session advisory lock, a temporary table; insert a row noting the backend."""
    cr = session.cr
    cr.execute("SELECT set_config('statement_timeout', '4321', false), pg_advisory_lock(4321)")
    cr.execute('CREATE TEMP TABLE connector_left_behind (x integer)')
    cr.execute('SELECT pg_backend_pid()')
    session.env[model_name].create({'key': key, 'note': str(cr.fetchone()[0])})


@job
def read_session_state(session, model_name, key):
    """Insert a row whose note is the session state a job may have left (see
    leave_session_state): backend|statement_timeout|advisory locks|temp table."""
    cr = session.cr
    cr.execute("SELECT pg_backend_pid(), current_setting('statement_timeout'), "
               "(SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
               " AND pid = pg_backend_pid()), "
               "to_regclass('pg_temp.connector_left_behind') IS NOT NULL")
    session.env[model_name].create({'key': key, 'note': '|'.join(map(str, cr.fetchone()))})


#: The statements ``deallocate_one`` may drop, by name: each as written out.
_DEALLOCATE = {name: 'DEALLOCATE %s' % name for name in (
    'connector_lock_claimed_job', 'connector_claim_into_session')}


@job
def deallocate_one(session, model_name, key, statement):
    """Drop one prepared statement of the job's session, by name (``_DEALLOCATE``),
    insert a row."""
    session.cr.execute(_DEALLOCATE[statement])
    insert_row(session, model_name, key)


@job
def deallocate_all(session, model_name, key, fail=False):
    """Drop every prepared statement of the job's session, insert a row; then, with
    ``fail``, raise FailedJobError."""
    session.cr.execute('DEALLOCATE ALL')
    session.env[model_name].create({'key': key})
    if fail:
        raise FailedJobError('record %s refused after DEALLOCATE ALL' % key)
