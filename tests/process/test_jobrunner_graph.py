# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: real ``odoo-bin jobrunner`` processes run job graphs in order,
lose nothing to a kill -9, and stop at a failed job until it is requeued."""
import os
import signal

from odoo import SUPERUSER_ID

from odoo.addons.connector.queue.graph import chain, group
from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import (FAST, ROW_MODEL, Gate, db_name, delay, job_states, query, rows,
                               wait_for_progress, wait_for_upkeeps, wait_until)


def test_two_workers_run_a_chain_of_a_group_in_order(tag, workers, tmp_path):
    """chain(group(a, b), c) on 2 workers: a and b run at once, c only after both
    ended; each job tried once."""
    pids = sorted(workers.start(tag + name, *FAST).pid for name in 'xy')
    # a and b wait at one gate, opened once both workers wait at it: they run at once
    # on a machine of any speed, or the test fails saying so
    gate = Gate(tmp_path)
    try:
        with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
            a = jobs.gated_insert.delayable(session, ROW_MODEL, tag + '-a', gate.path)
            b = jobs.gated_insert.delayable(session, ROW_MODEL, tag + '-b', gate.path)
            c = jobs.sleep_then_insert.delayable(session, ROW_MODEL, tag + '-c', 0)
            uuids = chain(group(a, b), c).delay()
        wait_until(lambda: gate.waiting() == pids, 60, lambda: 'a and b did not run at '
                   'once: %s, workers %s at the gate' % (job_states(tag), gate.waiting()))
        assert job_states(tag) == {'started': 2, 'wait_dependencies': 1}, job_states(tag)
    finally:
        gate.release()
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


def _keys_and_links(nodes):
    """{key: [keys of the jobs it waits for]} of delayables built on ``sleep_then_insert``
    or ``insert_row`` (their first argument is the key)."""
    return {node.job.args[0]: [dependency.job.args[0] for dependency in node.dependencies]
            for node in nodes}


def _assert_each_started_after_its_dependencies(links, ran):
    for key, dependencies in links.items():
        for dependency in dependencies:
            assert ran[key][1] >= ran[dependency][2], \
                '%s started %.3fs before its dependency %s ended' % (
                    key, ran[dependency][2] - ran[key][1], dependency)


def _tries(uuids):
    """{retry: number of jobs} of the jobs ``uuids``."""
    return dict(query('SELECT retry, count(*) FROM queue_job WHERE uuid IN %s GROUP BY retry',
                      (tuple(uuids),)))


def _job_by_uuid(session, job_uuid):
    return session.env['queue.job'].search([('uuid', '=', job_uuid)])


def test_two_workers_run_500_jobs_of_three_levels_each_after_its_dependencies(tag, workers):
    """20 roots, each followed by a group of 4 jobs, each followed by a group of 5
    leaves that also wait for the next job of the middle level (500 jobs, 400 with
    two dependencies): every job starts after all its dependencies ended, each once."""
    # Given two workers and a graph of 500 jobs stored by one delay()
    workers.start(tag + 'x', *FAST)
    workers.start(tag + 'y', *FAST)
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        def node(key):
            return jobs.sleep_then_insert.delayable(session, ROW_MODEL, key, 0)
        nodes, roots = [], []
        for r in range(20):
            root = node('%s-r%02d' % (tag, r))
            mids = [node('%s-r%02d-m%d' % (tag, r, m)) for m in range(4)]
            leaves = [[node('%s-r%02d-m%d-l%d' % (tag, r, m, n)) for n in range(5)]
                      for m in range(4)]
            roots.append(chain(root, group(*(chain(mid, group(*mid_leaves))
                                             for mid, mid_leaves in zip(mids, leaves)))))
            for m in range(4):
                mids[(m + 1) % 4].on_done(*leaves[m])
            nodes += [root] + mids + [leaf for mid_leaves in leaves for leaf in mid_leaves]
        uuids = group(*roots).delay()
    links = _keys_and_links(nodes)
    assert len(uuids) == len(links) == 500
    assert sum(len(dependencies) == 2 for dependencies in links.values()) == 400

    # When the workers run it, then every job ran once, after all its dependencies ended
    wait_for_progress(lambda: job_states(tag).get('done', 0), 500, 60,
                      lambda: 'graph not done: %s' % job_states(tag))
    written = rows(tag)
    ran = {key: (pid, started, ended) for key, pid, started, ended in written}
    assert len(written) == len(ran) == 500, 'a job ran twice: %d rows' % len(written)
    assert set(ran) == set(links)
    _assert_each_started_after_its_dependencies(links, ran)
    assert len({pid for pid, _started, _ended in ran.values()}) == 2, 'both workers ran jobs'
    assert _tries(uuids) == {1: 500}


def test_kill_9_of_a_worker_mid_graph_strands_nothing_and_runs_nothing_twice(
        tag, workers, tmp_path):
    """Worker A is killed with -9 while it runs a job of the second of 4 groups of 6
    in a chain: worker B finishes the graph; each job's row is written once."""
    # Given 2 workers and chain(group of 6, group of 6, group of 6, group of 6); the
    # second group's jobs run until the gate is opened (not for a fixed time that a
    # slow machine could spend between seeing A's job started and killing A)
    gate = Gate(tmp_path)
    killed = workers.start(tag + 'a', *FAST)
    survivor = workers.start(tag + 'b', *FAST)
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        def node(level, n):
            key = '%s-%d-%d' % (tag, level, n)
            if level == 1:
                return jobs.gated_insert.delayable(session, ROW_MODEL, key, gate.path)
            return jobs.sleep_then_insert.delayable(session, ROW_MODEL, key, 0.5)
        levels = [[node(level, n) for n in range(6)] for level in range(4)]
        uuids = chain(*(group(*level) for level in levels)).delay()
    links = _keys_and_links([node for level in levels for node in level])

    # When worker A is killed while it runs a job of the second group
    def a_runs_level_1():
        return query("SELECT uuid FROM queue_job WHERE uuid IN %s AND state = 'started' "
                     "AND worker_name = %s AND args LIKE %s",
                     (tuple(uuids), tag + 'a', '%' + tag + '-1-%'))
    try:
        # read before the kill: B requeues A's job once A is silent for --dead-after
        interrupted = wait_until(a_runs_level_1, 30, lambda: 'worker A never ran a job of '
                                 'the second group: %s' % job_states(tag))
        wait_until(lambda: killed.pid in gate.waiting(), 30, lambda: 'A\'s job of the second '
                   'group not at the gate: %s' % job_states(tag))
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(10)
    finally:
        gate.release()
    assert len(interrupted) == 1, 'the killed worker was running one job: %s' % interrupted

    # Then B runs the rest, the interrupted job again: all done, each row once, in order
    wait_until(lambda: job_states(tag).get('done') == 24, 40,
               lambda: 'graph stranded: %s\n%s' % (job_states(tag), workers.log(survivor)))
    written = rows(tag)
    ran = {key: (pid, started, ended) for key, pid, started, ended in written}
    assert len(written) == len(ran) == 24, 'a job ran twice: %s' % sorted(
        key for key, *_ in written)
    _assert_each_started_after_its_dependencies(links, ran)
    assert _tries(uuids) == {1: 23, 2: 1}
    assert query('SELECT retry FROM queue_job WHERE uuid = %s', interrupted[0]) == [(2,)]
    assert all(ran[key][0] == survivor.pid for key in links if key.startswith(tag + '-2-')), \
        'the third group ran on B only'


def test_a_failed_job_blocks_only_its_dependents_until_it_is_requeued(tag, workers):
    """group(chain(a, group(chain(f, g), s)), chain(b, c)): f fails; s, b and c run, g
    waits and says it waits for f; once fixed, requeueing f runs f then g."""
    workers.start(tag + 'x', *FAST)
    workers.start(tag + 'y', *FAST)
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        def node(name):
            return jobs.insert_row.delayable(session, ROW_MODEL, '%s-%s' % (tag, name))
        failing = jobs.fail_unless_row.delayable(session, ROW_MODEL, tag + '-f', tag + '-fix')
        a, g, s, b, c = map(node, 'agsbc')
        group(chain(a, group(chain(failing, g), s)), chain(b, c)).delay()

    # When the workers run the graph, f fails; the other branches end done
    wait_until(lambda: job_states(tag) == {'done': 4, 'failed': 1, 'wait_dependencies': 1}, 30,
               lambda: 'graph not settled: %s' % job_states(tag))
    assert sorted(key for key, *_ in rows(tag)) == sorted(tag + '-' + n for n in 'absc')

    # Then g still waits after whole upkeeps of the workers (each releases the waiting
    # jobs whose dependencies are done), and its form says for what
    wait_for_upkeeps(3)  # 2 workers: 3 rounds hold one whole upkeep after the failure
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        waiting, failed = _job_by_uuid(session, g.uuid), _job_by_uuid(session, failing.uuid)
        assert (waiting.state, failed.state) == ('wait_dependencies', 'failed')
        assert 'row %s missing' % (tag + '-fix') in failed.exc_info
        assert waiting.waiting_reason == (
            'Waits for failed job %s (%s): requeue it, set it done or cancel it.'
            % (failed.uuid, failed.name))

    # When the row f needs is created and f is requeued, f then g run
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        session.env[ROW_MODEL].create({'key': tag + '-fix'})
        _job_by_uuid(session, failing.uuid).button_requeue()
    wait_until(lambda: job_states(tag) == {'done': 6}, 30,
               lambda: 'graph not resumed: %s' % job_states(tag))
    ran = {key: (pid, started, ended) for key, pid, started, ended in rows(tag)}
    assert ran[tag + '-g'][1] >= ran[tag + '-f'][2]


def test_cancelling_a_failed_job_cancels_its_dependents_and_requeue_brings_them_back(
        tag, workers):
    """chain(a, f, g, h) beside b: f fails, is cancelled (g and h with it, saying why,
    while b runs); requeued once fixed, f, g and h run."""
    workers.start(tag + 'x', *FAST)
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        def node(name):
            return jobs.insert_row.delayable(session, ROW_MODEL, '%s-%s' % (tag, name))
        failing = jobs.fail_unless_row.delayable(session, ROW_MODEL, tag + '-f', tag + '-fix')
        a, g, h = map(node, 'agh')
        chain(a, failing, g, h).delay()
    wait_until(lambda: job_states(tag) == {'done': 1, 'failed': 1, 'wait_dependencies': 2}, 30,
               lambda: 'chain not settled: %s' % job_states(tag))

    # When a person cancels f
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        failed = _job_by_uuid(session, failing.uuid)
        failed.button_cancel()
        message = 'Cancelled with job %s (%s), which it depends on, by ' % (
            failed.uuid, failed.name)
    # Then g and h are cancelled with it, saying why, and a job delayed now still runs
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        for node in (g, h):
            job = _job_by_uuid(session, node.uuid)
            assert job.state == 'cancelled'
            assert message in job.result, job.result
    other = delay(jobs.insert_row, tag + '-b')
    wait_until(lambda: query('SELECT state FROM queue_job WHERE uuid = %s', (other,)) == [
        ('done',)], 20, 'the independent job did not run')
    assert job_states(tag) == {'done': 2, 'cancelled': 3}

    # When the row f needs is created and f is requeued, the chain resumes
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        session.env[ROW_MODEL].create({'key': tag + '-fix'})
        _job_by_uuid(session, failing.uuid).button_requeue()
    wait_until(lambda: job_states(tag) == {'done': 5}, 30,
               lambda: 'chain not resumed: %s' % job_states(tag))
    assert [key for key, *_ in rows(tag) if key != tag + '-fix'] == [
        tag + '-' + name for name in ('a', 'b', 'f', 'g', 'h')]
