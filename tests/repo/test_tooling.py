"""The tooling: the reading of Odoo 11 test logs (tools/devkit/testlog.py, the gate of
`make test`) and the starting of job workers (tools/devkit/workers.py).

The log lines below are copied from real Odoo 11 runs (--log-level=test) of
throwaway addons: a passing test, a failing and an erroring test, a module
that raises at import, a test module that cannot be imported. The workers
are a stand-in for odoo-bin (a script that registers by writing a file).
"""
import os
import signal
import subprocess
import sys
import time

import pytest

from devkit import steps, testlog, workers

PREFIX = '2026-11-27 18:20:19,834 4033 %s connector_test_x %s: %s\n'


@pytest.fixture(scope='module')
def dev():
    """The log gate's module (the tests were written against tools/dev.py, which held it)."""
    return testlog


def _log(tmp_path, records):
    path = tmp_path / 'test.log'
    text = ''
    for record in records:
        if isinstance(record, str):
            text += record + '\n'  # continuation line
        else:
            text += PREFIX % record
    path.write_text(text)
    return str(path)


def _parse(dev, tmp_path, records, own=('fake_mixed', 'fake_pass')):
    return dev.parse_test_log(_log(tmp_path, records), own_addons=own)


T = 'odoo.addons.fake_mixed.tests.test_a'


def test_passing_run(dev, tmp_path):
    result = _parse(dev, tmp_path, [
        ('INFO', 'odoo.modules.module', '%s running tests.' % T),
        ('INFO', T, 'test_ok (%s.TestA)' % T),
        ('INFO', T, 'Ran 1 test in 0.012s'),
        ('INFO', T, 'OK'),
    ])
    assert result['ran'] == {'fake_mixed': 1}
    assert (result['failures'], result['errors'], result['problems']) == (0, 0, [])


def test_failures_and_errors_split_over_two_records(dev, tmp_path):
    result = _parse(dev, tmp_path, [
        ('ERROR', T, 'FAIL'),
        ('ERROR', T, 'FAIL: test_fails (%s.TestA)' % T),
        ('ERROR', T, 'Traceback (most recent call last):'),
        ('ERROR', T, '`     self.assertEqual(1, 2)'),
        ('ERROR', T, 'ERROR: test_errors (%s.TestA)' % T),
        ('INFO', T, 'Ran 4 tests in 0.079s'),
        ('ERROR', T, 'FAILED'),
        ('INFO', T, ' (failures=1, errors=1, skipped=1)'),
    ])
    assert result['ran'] == {'fake_mixed': 4}
    assert (result['failures'], result['errors'], result['skipped']) == (1, 1, 1)
    assert result['failed_tests'] == ['FAIL test_fails (%s.TestA)' % T,
                                      'ERROR test_errors (%s.TestA)' % T]
    assert result['problems']


def test_several_test_modules_are_summed(dev, tmp_path):
    other = 'odoo.addons.fake_mixed.tests.test_b'
    result = _parse(dev, tmp_path, [
        ('INFO', T, 'Ran 2 tests in 0.1s'), ('INFO', T, 'OK'),
        ('INFO', other, 'Ran 3 tests in 0.1s'), ('INFO', other, 'OK'),
    ])
    assert result['ran'] == {'fake_mixed': 5}


def test_module_load_error_without_tests(dev, tmp_path):
    result = _parse(dev, tmp_path, [
        ('CRITICAL', 'odoo.modules.module', "Couldn't load module fake_broken"),
        ('CRITICAL', 'odoo.modules.module', 'boom at import'),
        'Traceback (most recent call last):',
        '  File "/tmp/fakeaddons/fake_broken/__init__.py", line 1, in <module>',
        ('ERROR', 'odoo.modules.registry', 'Failed to load registry'),
    ])
    assert result['ran'] == {}
    assert len(result['problems']) == 3


def test_unmet_dependencies_ignored_only_for_foreign_addons(dev, tmp_path):
    result = _parse(dev, tmp_path, [
        ('ERROR', 'odoo.modules.graph', 'module website_sale: Unmet dependencies: website'),
        ('ERROR', 'odoo.modules.graph', 'module fake_pass: Unmet dependencies: nowhere'),
    ])
    assert result['ignored'] == 1
    assert result['problems'] == [
        'ERROR odoo.modules.graph: module fake_pass: Unmet dependencies: nowhere']


def test_missing_log_is_a_problem(dev, tmp_path):
    result = dev.parse_test_log(str(tmp_path / 'absent.log'), own_addons=[])
    assert result['problems'] and result['ran'] == {}


def test_the_summary_names_the_failed_pytest_tests(tmp_path):
    """A real pytest run writes the JUnit report the summary reads its failures from."""
    (tmp_path / 'test_mixed.py').write_text(
        'import pytest\n'
        'def test_ok():\n    pass\n'
        'def test_broken():\n    assert 1 == 2\n'
        '@pytest.fixture\ndef bad():\n    raise RuntimeError\n'
        'def test_fixture_error(bad):\n    pass\n'
        'class TestGroup:\n    def test_in_class(self):\n        assert False\n')
    report = tmp_path / 'report.xml'
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD='1')  # no pytest-odoo here
    subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
                    '--junitxml=%s' % report, str(tmp_path / 'test_mixed.py')],
                   cwd=str(tmp_path), env=env, stdout=subprocess.DEVNULL, check=False)
    assert steps.failed_tests(str(report)) == [
        'test_mixed::test_broken', 'test_mixed::test_fixture_error',
        'test_mixed.TestGroup::test_in_class']
    assert steps.failed_tests(str(tmp_path / 'absent.xml')) == []


# -- devkit.workers: the one way to start job workers -------------------------

FAKE_ODOO_BIN = '''
import os, signal, sys, time
args = sys.argv[1:]
name = args[args.index('--worker-name') + 1]
mode = args[-1]
print('argv', ' '.join(args), 'ODOO_RC', os.environ.get('ODOO_RC'), flush=True)
if mode == 'exit':
    sys.exit(3)
if mode == 'ignore-term':
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
else:
    signal.signal(signal.SIGTERM, lambda *a: (print('SIGTERM', flush=True), sys.exit(0)))
# a worker takes a while to load before it registers, then idles: the behaviour the
# stand-in plays, not a bound any test measures
time.sleep(0.3)
open(os.path.join(os.path.dirname(sys.argv[0]), name + '.registered'), 'w').close()
while True:
    time.sleep(0.1)
'''


def _pool(tmp_path):
    script = tmp_path / 'odoo-bin'
    script.write_text(FAKE_ODOO_BIN)
    return workers.Workers('/etc/odoo.cfg', 'shop_db', tmp_path, python=sys.executable,
                           registered=lambda name: (tmp_path / (name + '.registered')).exists(),
                           odoo_bin=str(script))


def test_a_worker_is_started_as_an_operator_would_and_stops_on_sigterm(tmp_path):
    """jobrunner -c CFG -d DB --worker-name N, ODOO_RC set; ready once registered;
    stop() sends SIGTERM and the worker exits cleanly."""
    pool = _pool(tmp_path)
    worker = pool.start('w1', '--channels', 'root:2', 'run')
    assert (tmp_path / 'w1.registered').exists()
    assert worker.poll() is None
    assert worker.stop(grace=10) == 0
    log = worker.log_tail()
    assert ('argv jobrunner -c /etc/odoo.cfg -d shop_db --worker-name w1 --channels root:2 run '
            'ODOO_RC /etc/odoo.cfg') in log, log
    assert 'SIGTERM' in log, log


def test_a_worker_deaf_to_sigterm_is_killed_after_the_grace_period(tmp_path):
    """stop(grace=1) on a worker that ignores SIGTERM ends with SIGKILL; kill() is -9."""
    pool = _pool(tmp_path)
    deaf, other = pool.start_many(['deaf', 'other'], 'ignore-term')
    started = time.time()
    assert deaf.stop(grace=1) == -signal.SIGKILL
    assert 1 <= time.time() - started < 60, "stop() waited the grace period, then killed"
    assert other.kill() == -signal.SIGKILL
    assert pool.dead() == [deaf, other]


def test_a_worker_that_exits_before_registering_fails_its_start_with_its_log(tmp_path):
    """WorkerStartError names the worker, its exit code and the end of its log."""
    pool = _pool(tmp_path)
    with pytest.raises(workers.WorkerStartError) as error:
        pool.start('early', 'exit')
    message = str(error.value)
    assert message.startswith('worker early exited with 3: argv jobrunner'), message
