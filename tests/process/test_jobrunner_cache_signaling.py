# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A worker shares Odoo's per-process caches the way Odoo's own processes do: it
signals what its jobs invalidated and sees what others invalidated."""
import odoo
from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job.cache_jobs import (set_parameter_while_another_process_signals,
                                                   swap_parameter)

from support.jobrunner import FAST, db_name, delay, job_states, query, wait_until


def _cache_signal():
    return query('SELECT last_value FROM base_cache_signaling')[0][0]


def _note(key):
    return query('SELECT note FROM test_queue_job_row WHERE key = %s', (key,))[0][0]


def _send_own_signals():
    """Let this process signal what loading its registry invalidated (its first
    session does): a later move of the cache sequence is then another process's."""
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session():
        pass


def _set_parameter(parameter, value):
    """Change a system parameter as another Odoo process would, and signal it."""
    with odoo.sql_db.db_connect(db_name()).cursor() as cr:
        cr.execute('DELETE FROM ir_config_parameter WHERE key = %s', (parameter,))
        cr.execute('INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)',
                   (parameter, value))
        cr.execute("SELECT nextval('base_cache_signaling')")


def test_a_cache_a_job_invalidated_is_signalled_to_the_other_processes(tag, workers):
    """A job's set_param clears the parameters' cache: the other processes are told
    through the database's cache sequence, as after an HTTP request or a cron job."""
    workers.start(tag + 'w', *FAST)
    _send_own_signals()
    # read before the delay: the worker may run the job and signal before this
    # process reads anything after the commit
    before = _cache_signal()
    uuid = delay(swap_parameter, tag + '-set', 'connector.test.%s' % tag, 'one')
    wait_until(lambda: job_states(tag).get('done') == 1, 30, lambda: job_states(tag))
    # the worker signals after the job's commit: 'done' comes first
    wait_until(lambda: _cache_signal() > before, 30,
               "job %s cleared a cache and the worker did not signal it" % uuid)


def test_a_job_sees_what_another_process_changed_and_signalled(tag, workers):
    """Given a worker that cached a parameter in a job, when another process changes it
    and signals, the next job reads the new value (not the worker's stale cache). The
    worker's upkeep also checks, so it runs seldom here (heartbeat 10 s)."""
    parameter = 'connector.test.%s' % tag
    _set_parameter(parameter, 'one')
    workers.start(tag + 'w', '--heartbeat-interval', '10', '--dead-after', '30')
    delay(swap_parameter, tag + '-first', parameter)
    wait_until(lambda: job_states(tag).get('done') == 1, 30, lambda: job_states(tag))
    _set_parameter(parameter, 'two')
    delay(swap_parameter, tag + '-second', parameter)
    wait_until(lambda: job_states(tag).get('done') == 2, 30, lambda: job_states(tag))
    assert (_note(tag + '-first'), _note(tag + '-second')) == ('one', 'two'), \
        'the worker read its stale cache'


def test_a_signal_sent_while_a_job_signals_its_own_change_is_not_skipped(tag, workers):
    """Given a worker, when a job of its own changes a parameter while another process
    changes parameter P and signals it (both bump the one cache sequence), and the
    job then reads P (the old value, its snapshot's: cached), then the next job
    reads P's new value: the worker's own
    signal does not count as having seen the other one. Before the fix the
    worker took the sequence its signal returned as up to date, and the next
    job read P from its stale cache (seen under load in the test above)."""
    parameter = 'connector.test.%s' % tag
    _set_parameter(parameter, 'one')
    _set_parameter(parameter + '.own', 'a')
    workers.start(tag + 'w', '--heartbeat-interval', '10', '--dead-after', '30')
    delay(swap_parameter, tag + '-cache', parameter)  # P cached: 'one'
    wait_until(lambda: job_states(tag).get('done') == 1, 30, lambda: job_states(tag))
    delay(set_parameter_while_another_process_signals, tag + '-own', parameter + '.own', 'b',
          parameter, 'two')
    wait_until(lambda: job_states(tag).get('done') == 2, 30, lambda: job_states(tag))
    delay(swap_parameter, tag + '-read', parameter)
    wait_until(lambda: job_states(tag).get('done') == 3, 30, lambda: job_states(tag))
    assert (_note(tag + '-cache'), _note(tag + '-own'), _note(tag + '-read')) == (
        'one', 'one', 'two'), \
        'the worker read its stale cache'
