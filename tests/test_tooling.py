"""The reading of Odoo 11 test logs (tools/devkit/testlog.py, the gate of `make test`).

The log lines below are copied from real Odoo 11 runs (--log-level=test) of
throwaway addons: a passing test, a failing and an erroring test, a module
that raises at import, a test module that cannot be imported.
"""
import pytest

from devkit import testlog

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
