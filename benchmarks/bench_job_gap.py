# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where a worker's time per job goes: the gap between two trivial jobs on one worker.

One real ``odoo-bin jobrunner`` worker (started through ``_gap_worker.py``,
which stamps each of its steps, see there) on a database with the test
addon ``test_queue_job``; no other worker may run on it. Per round:

1. **independent**: ``--jobs`` ``noop`` jobs committed at once; the gap is
   the time between the starts of two consecutive jobs (``date_started``,
   written by the claim), median over the batch; the worker's own stamps
   give each step's median per job (claim start to the next claim start);
2. **chains**: the same number of jobs as chains of 10 (``chain()``): each
   job's transaction releases the next;
3. **idle latency**: ``--samples`` ``stamp`` jobs, each committed while the
   worker idles (waiting on LISTEN; ``--idle-workers 2``: two workers idle,
   as in ``bench_queue.py``); from just before the commit to the moment the
   job runs (it returns ``time.time()``), and apart the enqueuing commit's
   own time. The path of each sample is split by the stamps of the worker
   that ran it; the samples above the 75th percentile are printed step by
   step, with what the other workers did meanwhile (their claims and wake
   delays): the tail, not only the medians.

For batches 1 and 2 it also prints the CPU time per job of the worker's
process and of each of its PostgreSQL sessions (``_cpu.py``), which a busy
machine disturbs far less than wall time. ``CONNECTOR_GAP_PROFILE=FILE``
in the environment runs the worker under cProfile (``_gap_worker.py``).

With ``--compare-tree DIR`` (a checkout of another commit, e.g. ``git
worktree add /tmp/before main``), the worker of each round alternates
between DIR's connector and this tree's, on the same database (the schema
must be the same), and the ratios after/before are printed.

    .venv/bin/python benchmarks/bench_job_gap.py -c var/odoo.cfg -d DB \
        --compare-tree /tmp/before --rounds 6
"""
import argparse
import json
import os
import re
import statistics
import tempfile
import time

import odoo
from odoo import SUPERUSER_ID, api

import _cpu
from _odoo import load_config, query, wait_all_done
from bench_claim_scale import vacuum
from devkit.workers import Workers

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GAP_WORKER = os.path.join(REPO, 'benchmarks', '_gap_worker.py')
MODEL = 'test.queue.job.row'
NAME = 'bench job gap'
STEPS = ('claim', 'registry check', 'job cursor open', 'lock row', 'job (environment, run)',
         'outcome, release', 'commit', 'cache signaling', 'second release', 'job cursor close')


def tree_config(config, tree):
    """A copy of ``config`` whose addons path loads the connector of ``tree``."""
    lines = []
    with open(config) as handle:
        for line in handle:
            if line.startswith('addons_path'):
                key, paths = line.split('=', 1)
                line = key + '= ' + ','.join(
                    os.path.abspath(tree) + path.strip()[len(REPO):]
                    if path.strip().startswith(REPO) and '/.venv' not in path else path.strip()
                    for path in paths.split(',')) + '\n'
            lines.append(line)
    path = os.path.join(tempfile.mkdtemp(prefix='bench_gap_cfg_'), 'odoo.cfg')
    with open(path, 'w') as handle:
        handle.writelines(lines)
    return path


def commit_jobs(db_name, count, chain_length=0, func_name='noop'):
    """``count`` jobs (chains of ``chain_length`` when given) committed at once; their uuids,
    the moment just before the commit on time.time(), and on perf_counter() the
    moments just before and just after the commit."""
    from odoo.addons.connector.queue.graph import chain
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job import jobs
    func = getattr(jobs, func_name)
    with api.Environment.manage(), odoo.registry(db_name).cursor() as cr:
        session = ConnectorSession(cr, SUPERUSER_ID)
        if chain_length:
            uuids = []
            for c in range(count // chain_length):
                uuids += chain(*(func.delayable(session, MODEL, c * chain_length + n,
                                                description=NAME)
                                 for n in range(chain_length))).delay()
        else:
            uuids = [func.delay(session, MODEL, n, description=NAME) for n in range(count)]
        before_commit, before_commit_pc = time.time(), time.perf_counter()
        cr.commit()
        committed_pc = time.perf_counter()
    return uuids, before_commit, (before_commit_pc, committed_pc)


def wait_done(db_name, uuids):
    wait_all_done(db_name, uuids)


def start_gaps(db_name, uuids):
    """Milliseconds between the starts of consecutive jobs of ``uuids`` (date_started)."""
    rows = query(db_name, 'SELECT extract(epoch FROM date_started) FROM queue_job '
                          'WHERE uuid IN %s ORDER BY date_started', (tuple(uuids),))
    starts = [row[0] for row in rows]
    return [(b - a) * 1000 for a, b in zip(starts, starts[1:])]


def clean(db_name):
    query(db_name, 'DELETE FROM queue_job WHERE name = %s', (NAME,))
    vacuum(db_name)


def run_batch(db_name, count, chain_length=0, worker_pid=None):
    """Commit a batch, wait for it; (gaps in ms, (start, end) on perf_counter, and with
    ``worker_pid`` the CPU per job in ms of the worker and its sessions, ``_cpu.per_job``)."""
    cpu_before = _cpu.snapshot(db_name, worker_pid) if worker_pid else None
    start = time.perf_counter()
    uuids, _before, _before_pc = commit_jobs(db_name, count, chain_length)
    wait_done(db_name, uuids)
    end = time.perf_counter()
    cpu = (_cpu.per_job(cpu_before, _cpu.snapshot(db_name, worker_pid), count)
           if worker_pid else None)
    gaps = start_gaps(db_name, uuids)
    clean(db_name)
    return gaps, (start, end), cpu


def idle_latencies(db_name, samples):
    """Per sample: milliseconds from just before the commit to the job's start, the
    commit's (start, end) on perf_counter (for the workers' stamps) and the name of
    the worker that ran the job."""
    latencies, commits, runners = [], [], []
    for i in range(samples):
        time.sleep(0.05)  # let the workers go back to their wait on LISTEN
        (job_uuid,), before_commit, commit_pc = commit_jobs(db_name, 1, func_name='stamp')
        commits.append(commit_pc)
        wait_done(db_name, [job_uuid])
        result, worker = query(db_name, 'SELECT result, worker_name FROM queue_job '
                                        'WHERE uuid = %s', (job_uuid,))[0]
        latencies.append((float(result) - before_commit) * 1000)
        runners.append(worker)
    clean(db_name)
    return latencies, commits, runners


#: The idle path, from the job's commit to its start, as the worker that ran the
#: job stamps it ('client commit' is inside the wake-up: the enqueuing
#: transaction's own commit, as the benchmark's process saw it).
IDLE_STEPS = ('wake-up (commit -> select returns)', 'client commit', 'drain, loop', 'upkeep',
              'claim', 'registry check', 'job cursor open', 'lock row', 'job environment')


def idle_paths(events_of, commits, runners):
    """Per idle-latency sample: {step: ms} of the path from the commit to the job on
    the worker that ran it (``events_of[name]``: that worker's stamps), and what
    the other workers did meanwhile ('others: claims' that found nothing or lost,
    'others: wake delays' computed); None for a sample not found in the stamps."""
    paths = []
    for (committed, commit_end), runner in zip(commits, runners):
        events = sorted(events_of.get(runner, ()), key=lambda e: e[1])
        waits = [e for e in events if e[0] == 'idle wait' and e[2] >= committed]
        if not waits:
            paths.append(None)
            continue
        woke = waits[0][2]
        after = {}
        for step, start, end in events:
            if start >= woke and step not in after:
                after[step] = (start, end)
        if not all(step in after for step in ('claim', 'job cursor open', 'lock row',
                                              'job (environment, run)')):
            paths.append(None)
            continue
        claim, cursor, lock = after['claim'], after['job cursor open'], after['lock row']
        registry = after.get('registry check', (claim[1], claim[1]))
        upkeep = after.get('upkeep', (0, 0))
        upkeep_ms = (upkeep[1] - upkeep[0]) * 1000 if upkeep[1] <= claim[0] else 0.0
        started = after['job (environment, run)'][0]
        others = [e for name, stamps in events_of.items() if name != runner
                  for e in stamps if committed <= e[1] <= started]
        paths.append({
            'wake-up (commit -> select returns)': (woke - committed) * 1000,
            'client commit': (commit_end - committed) * 1000,
            'drain, loop': (claim[0] - woke) * 1000 - upkeep_ms,
            'upkeep': upkeep_ms,
            'claim': (claim[1] - claim[0]) * 1000,
            'registry check': (registry[1] - registry[0]) * 1000,
            'job cursor open': (cursor[1] - cursor[0]) * 1000,
            'lock row': (lock[1] - lock[0]) * 1000,
            'job environment': (started - lock[1]) * 1000,
            'others: claims': sum(1 for e in others if e[0] == 'claim'),
            'others: wake delays': sum(1 for e in others if e[0] == 'next wake delay'),
        })
    return paths


def print_slow_samples(label, latencies, paths):
    """The steps of each sample above the 75th percentile of ``latencies``."""
    p75 = sorted(latencies)[int(len(latencies) * 0.75)]
    slow = [(ms, path) for ms, path in zip(latencies, paths) if ms > p75]
    print('  %s: the %d samples above the 75th percentile (%.2f ms), ms per step:'
          % (label, len(slow), p75))
    short = ('wake', 'commit', 'loop', 'upkeep', 'claim', 'registry', 'cursor', 'lock',
             'env', 'o.claims', 'o.delays')
    print('    %8s ' % 'latency' + ''.join('%9s' % title for title in short))
    for ms, path in sorted(slow, key=lambda item: item[0]):
        if path is None:
            print('    %8.2f  (not found in the stamps)' % ms)
            continue
        print('    %8.2f ' % ms + ''.join(
            '%9.2f' % path[step] for step in IDLE_STEPS) + '%9d%9d' % (
                path['others: claims'], path['others: wake delays']))


def job_cycles(events, window):
    """Per job run inside ``window``: {step: ms} from the worker's stamps, its cycle
    (claim start to the next claim start) under 'cycle', the rest under 'loop, logging'."""
    lo, hi = window
    events = sorted((e for e in events if lo <= e[1] <= hi), key=lambda e: e[1])
    claims = [e for e in events if e[0] == 'claim']
    cycles = []
    for claim, next_claim in zip(claims, claims[1:]):
        inside = [e for e in events if claim[1] <= e[1] < next_claim[1]]
        names = [e[0] for e in inside]
        if 'idle wait' in names or 'lock row' not in names:
            continue  # the claim found nothing, or the worker idled meanwhile
        cycle = {'cycle': (next_claim[1] - claim[1]) * 1000}
        for step, start, end in inside:
            cycle[step] = cycle.get(step, 0.0) + (end - start) * 1000
        cycle['loop, logging'] = cycle['cycle'] - sum(
            cycle.get(step, 0.0) for step in STEPS)
        cycles.append(cycle)
    return cycles


def one_round(config, db_name, args, label, log_dir):
    probe = os.path.join(log_dir, '%s-%d-{pid}.json' % (re.sub(r'\W', '_', label), time.time()))
    os.environ['CONNECTOR_GAP_PROBE'] = probe
    pool = Workers(config, db_name, log_dir, odoo_bin=GAP_WORKER)
    saved_environ = dict(os.environ)
    names = {}
    try:
        os.environ.update(_cpu.worker_env())  # the worker's sessions named (_cpu.py)
        name = 'bench-gap-%d' % os.getpid()
        worker = pool.start(name, timeout=120)
        names[worker.pid] = name
        os.environ.clear()
        os.environ.update(saved_environ)
        run_batch(db_name, 50)  # warm-up: the worker's caches, the statements' plans
        independent, window, cpu = run_batch(db_name, args.jobs, worker_pid=worker.pid)
        chained, chain_window, chain_cpu = run_batch(db_name, args.jobs, chain_length=10,
                                                     worker_pid=worker.pid)
        for n in range(1, args.idle_workers):  # idle beside the first, for the latency
            name = 'bench-gap-%d-%d' % (os.getpid(), n)
            names[pool.start(name, timeout=120).pid] = name
        latencies, commits, runners = idle_latencies(db_name, args.samples)
    finally:
        os.environ.clear()
        os.environ.update(saved_environ)
        pool.stop()
    events_of = {}
    for pid, name in names.items():
        with open(probe.format(pid=pid)) as handle:
            events_of[name] = json.load(handle)
    events = events_of['bench-gap-%d' % os.getpid()]
    return {'independent': independent, 'chains': chained, 'latency': latencies,
            'steps': job_cycles(events, window), 'chain_steps': job_cycles(events, chain_window),
            'idle_steps': idle_paths(events_of, commits, runners), 'cpu': [cpu],
            'chain_cpu': [chain_cpu],
            'commit': [(end - start) * 1000 for start, end in commits],
            'after_commit': [ms - (end - start) * 1000
                             for ms, (start, end) in zip(latencies, commits)]}


def cpu_total(split):
    """CPU ms per job of the worker and its sessions (PostgreSQL's background apart)."""
    return sum(ms for part, ms in split.items() if 'background' not in part)


def p90(values):
    return sorted(values)[int(len(values) * 0.9)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--jobs', type=int, default=500)
    parser.add_argument('--samples', type=int, default=30, help='idle latency samples per round')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--idle-workers', type=int, default=1,
                        help='workers idle during the latency samples (2: as bench_queue.py)')
    parser.add_argument('--compare-tree', help="another checkout's root, run as 'before'")
    args = parser.parse_args()
    load_config(args.config)
    db_name = args.database
    clean(db_name)
    trees = [('after', args.config)]
    if args.compare_tree:
        trees.insert(0, ('before', tree_config(args.config, args.compare_tree)))
    log_dir = tempfile.mkdtemp(prefix='bench_gap_')
    figures = {label: {'independent': [], 'chains': [], 'latency': [], 'steps': [],
                       'chain_steps': [], 'idle_steps': [], 'cpu': [], 'chain_cpu': [],
                       'commit': [], 'after_commit': []}
               for label, _config in trees}
    per_round = {label: [] for label, _config in trees}  # (gap, chain gap, idle p90) medians
    for n in range(args.rounds):
        for label, config in (trees if n % 2 == 0 else trees[::-1]):
            result = one_round(config, db_name, args, label, log_dir)
            for key, values in result.items():
                figures[label][key] += values
            per_round[label].append((statistics.median(result['independent']),
                                     statistics.median(result['chains']),
                                     p90(result['latency'])))
            print('round %d %-6s gap median %.2f ms, chains %.2f ms, idle p90 %.2f ms, '
                  'CPU per job %.3f ms (chains %.3f)'
                  % (n + 1, label, statistics.median(result['independent']),
                     statistics.median(result['chains']), p90(result['latency']),
                     cpu_total(result['cpu'][0]), cpu_total(result['chain_cpu'][0])),
                  flush=True)
    print('\nOne worker, %d noop jobs per batch, %d alternating rounds (%s)'
          % (args.jobs, args.rounds, db_name))
    labels = [label for label, _config in trees]
    print('  %-44s' % '' + ''.join('%12s' % label for label in labels)
          + ('%12s' % 'ratio' if len(labels) == 2 else ''))

    def row(title, values):
        text = '  %-44s' % title + ''.join('%9.2f ms' % value for value in values)
        if len(values) == 2 and values[0]:
            text += '%12.2f' % (values[1] / values[0])
        print(text)

    med = statistics.median
    row('gap between two jobs, median', [med(figures[x]['independent']) for x in labels])
    row('gap between two jobs, 90th percentile', [p90(figures[x]['independent']) for x in labels])
    row('gap, jobs of chains of 10, median', [med(figures[x]['chains']) for x in labels])
    row('idle latency commit -> start, median', [med(figures[x]['latency']) for x in labels])
    row('idle latency commit -> start, 90th pct', [p90(figures[x]['latency']) for x in labels])
    row('  of which the enqueuing commit, median', [med(figures[x]['commit']) for x in labels])
    row('  of which the enqueuing commit, 90th pct', [p90(figures[x]['commit']) for x in labels])
    row('idle latency, commit returned -> start, median',
        [med(figures[x]['after_commit']) for x in labels])
    row('idle latency, commit returned -> start, p90',
        [p90(figures[x]['after_commit']) for x in labels])
    if len(labels) == 2:
        for index, title in enumerate(('gap', 'gap of chains', 'idle latency p90')):
            ratios = [after[index] / before[index]
                      for before, after in zip(per_round[labels[0]], per_round[labels[1]])]
            print('  %-44s%24s%12.2f' % ('%s: median of the rounds\' ratios' % title, '',
                                         med(ratios)))
    for title, key in (('per job, independent (worker stamps)', 'steps'),
                       ('per job, chains (worker stamps)', 'chain_steps')):
        print('  %s, median per step:' % title)
        for step in ('cycle',) + STEPS + ('loop, logging',):
            row('  ' + step, [med([c.get(step, 0.0) for c in figures[x][key]] or [0])
                              for x in labels])
        row('  gc (inside the steps), mean per job',
            [statistics.mean([c.get('gc', 0.0) for c in figures[x][key]] or [0])
             for x in labels])
    for title, key in (('CPU per job, independent (medians of the rounds)', 'cpu'),
                       ('CPU per job, chains (medians of the rounds)', 'chain_cpu')):
        print('  %s:' % title)
        parts = sorted({part for x in labels for split in figures[x][key] for part in split})
        row('  worker and its sessions', [med([cpu_total(split) for split in figures[x][key]])
                                          for x in labels])
        for part in parts:
            row('  ' + part, [med([split.get(part, 0.0) for split in figures[x][key]])
                              for x in labels])
    print('  idle path, commit to the job, median per step:')
    for step in IDLE_STEPS:
        row('  ' + step, [med([c[step] for c in figures[x]['idle_steps'] if c] or [0])
                          for x in labels])
    for label in labels:
        print_slow_samples(label, figures[label]['latency'], figures[label]['idle_steps'])


if __name__ == '__main__':
    main()
