# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: real ``odoo-bin jobrunner`` processes run job graphs in order."""
from odoo import SUPERUSER_ID

from odoo.addons.connector.queue.graph import chain, group
from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import FAST, ROW_MODEL, db_name, job_states, query, rows, wait_until


def test_two_workers_run_a_chain_of_a_group_in_order(tag, workers):
    """chain(group(a, b), c) on 2 workers: a and b run at once, c only after both
    ended; each job tried once."""
    workers.start(tag + 'x', *FAST)
    workers.start(tag + 'y', *FAST)
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        a = jobs.sleep_then_insert.delayable(session, ROW_MODEL, tag + '-a', 1.0)
        b = jobs.sleep_then_insert.delayable(session, ROW_MODEL, tag + '-b', 1.0)
        c = jobs.sleep_then_insert.delayable(session, ROW_MODEL, tag + '-c', 0)
        uuids = chain(group(a, b), c).delay()
    wait_until(lambda: job_states(tag).get('done') == 3, 60,
               lambda: 'graph not done: %s' % job_states(tag))
    ran = {key[len(tag) + 1:]: (pid, started, ended) for key, pid, started, ended in rows(tag)}
    assert sorted(ran) == ['a', 'b', 'c']
    assert ran['a'][0] != ran['b'][0], 'a and b should run on both workers at once'
    assert ran['a'][1] < ran['b'][2] and ran['b'][1] < ran['a'][2], 'a and b should overlap'
    assert ran['c'][1] >= max(ran['a'][2], ran['b'][2]), \
        'c started %.3fs before the end of its last dependency' % (
            max(ran['a'][2], ran['b'][2]) - ran['c'][1])
    tries = query('SELECT uuid, retry FROM queue_job WHERE uuid IN %s', (tuple(uuids),))
    assert sorted(retry for _uuid, retry in tries) == [1, 1, 1]


def test_a_chain_of_ten_runs_in_order_on_two_workers(tag, workers):
    """Each step of a 10-job chain starts after the previous one ended."""
    workers.start(tag + 'x', *FAST)
    workers.start(tag + 'y', *FAST)
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        steps = [jobs.sleep_then_insert.delayable(session, ROW_MODEL, '%s-%02d' % (tag, i), 0)
                 for i in range(10)]
        chain(*steps).delay()
    wait_until(lambda: job_states(tag).get('done') == 10, 60,
               lambda: 'chain not done: %s' % job_states(tag))
    ran = rows(tag)
    assert [key for key, *_ in ran] == ['%s-%02d' % (tag, i) for i in range(10)]
    for (_k1, _p1, _s1, ended), (key, _p2, started, _e2) in zip(ran, ran[1:]):
        assert started >= ended, '%s started before the previous step ended' % key
