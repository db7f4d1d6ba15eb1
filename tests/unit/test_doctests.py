# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every docstring example of the repository runs, through one helper.

The modules are found by their source (a ``>>>`` prompt), so a new
example is run here without being listed. The few whose examples need a
real Odoo ``env`` are listed in ``NEED_ODOO_ENV`` with the Odoo test that
runs them through the same helper (``connector/tests/doctests.py``).
"""
import importlib
import importlib.util
import os
import re

import pytest

from odoo.addons.connector.tests.doctests import (assert_doctests_pass, examples_in_source,
                                                  run_doctests)
from odoo.addons.connector.unit import mapper as mapper_package

from fakes import fake_connector_env

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADDON_ROOTS = [REPO, os.path.join(REPO, 'tests', 'addons')]
PROMPT = re.compile(r'^\s*>>> ', re.MULTILINE)

#: module -> the Odoo test (run by Odoo's runner) that runs its examples with an env
NEED_ODOO_ENV = {
    'odoo.addons.connector.event': 'connector/tests/test_event.py',
    'odoo.addons.connector.session': 'connector/tests/test_session.py',
}


def mapper_globals():
    """The mapper DSL's names and a connector env: ImportMapper's example maps a dict."""
    globs = {name: getattr(mapper_package, name) for name in mapper_package.__all__}
    globs['connector_env'] = fake_connector_env('res.partner')
    return globs


#: module -> function giving the names its examples use without importing them
EXTRA_GLOBALS = {
    'odoo.addons.connector.unit.mapper.directions': mapper_globals,
}


def modules_with_examples():
    """Dotted names of the addon modules whose source holds a ``>>>`` prompt."""
    names = []
    for root in ADDON_ROOTS:
        for addon in sorted(os.listdir(root)):
            addon_dir = os.path.join(root, addon)
            if not os.path.isfile(os.path.join(addon_dir, '__manifest__.py')):
                continue
            for folder, dirs, files in os.walk(addon_dir):
                dirs[:] = sorted(d for d in dirs if d != '__pycache__')
                for filename in sorted(files):
                    if not filename.endswith('.py'):
                        continue
                    path = os.path.join(folder, filename)
                    with open(path, encoding='utf-8') as source:
                        if not PROMPT.search(source.read()):
                            continue
                    parts = os.path.relpath(path[:-3], root).split(os.sep)
                    if parts[-1] == '__init__':
                        parts.pop()
                    names.append('odoo.addons.' + '.'.join(parts))
    return names


PURE_MODULES = [name for name in modules_with_examples() if name not in NEED_ODOO_ENV]


@pytest.mark.parametrize('module_name', PURE_MODULES)
def test_docstring_examples_run_as_written(module_name):
    """Each example of a pure module gives the output written under it."""
    module = importlib.import_module(module_name)
    extra = EXTRA_GLOBALS.get(module_name)
    assert_doctests_pass(module, extraglobs=extra() if extra else None)


def test_the_pure_modules_with_examples_are_found():
    """The search finds the known modules, so the parametrized test is not vacuous."""
    assert {'odoo.addons.connector.queue.channels', 'odoo.addons.connector.queue.retry',
            'odoo.addons.connector.queue.encoding', 'odoo.addons.connector.unit.mapper.decorators',
            'odoo.addons.connector.unit.mapper.map_record',
            'odoo.addons.connector.unit.mapper.directions',
            'odoo.addons.connector_example.units.adapter'} <= set(PURE_MODULES)


@pytest.mark.parametrize('module_name', sorted(NEED_ODOO_ENV))
def test_examples_needing_an_env_are_run_by_their_odoo_test(module_name):
    """A module left to an Odoo test still has examples, and that test runs them with the helper."""
    module = importlib.import_module(module_name)
    assert examples_in_source(module) > 0, '%s has no example left: remove it from ' \
        'NEED_ODOO_ENV' % module_name
    with open(os.path.join(REPO, NEED_ODOO_ENV[module_name]), encoding='utf-8') as source:
        test_source = source.read()
    short_name = module_name.rsplit('.', 1)[1]
    assert re.search(r'assert_doctests_pass\(%s_module\b' % short_name, test_source), (
        '%s does not run the examples of %s through assert_doctests_pass()'
        % (NEED_ODOO_ENV[module_name], module_name))


def module_from_source(tmp_path, source):
    """A module named shop_examples, loaded from ``source``."""
    path = tmp_path / 'shop_examples.py'
    path.write_text(source)
    spec = importlib.util.spec_from_file_location('shop_examples', str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_helper_reports_a_wrong_example_with_doctest_output(tmp_path):
    """A failing example fails the helper with the expected and the actual output."""
    module = module_from_source(tmp_path, '"""Totals.\n\n>>> 1 + 1\n3\n>>> 2 + 2\n4\n"""\n')
    report = run_doctests(module)
    assert (report.attempted, report.failed) == (2, 1)
    with pytest.raises(AssertionError) as caught:
        assert_doctests_pass(module)
    message = str(caught.value)
    assert message.startswith('1 of 2 docstring examples of shop_examples failed:\n')
    assert 'Failed example:\n    1 + 1\nExpected:\n    3\nGot:\n    2\n' in message


def test_helper_passes_a_module_whose_examples_hold(tmp_path):
    """Examples that hold, all reached: the helper returns the report."""
    module = module_from_source(tmp_path, '"""Totals.\n\n>>> 1 + 1\n2\n"""\n')
    assert assert_doctests_pass(module) == ('shop_examples', 1, 0, '')


def test_helper_refuses_examples_the_finder_does_not_reach(monkeypatch):
    """An example in a nested function never runs: the helper says so."""
    import odoo.addons.connector.tests.doctests as helper
    module = importlib.import_module('odoo.addons.connector.queue.retry')
    monkeypatch.setattr(helper, 'examples_in_source', lambda module: 5)
    with pytest.raises(AssertionError) as caught:
        helper.assert_doctests_pass(module)
    assert str(caught.value) == (
        'odoo.addons.connector.queue.retry holds 5 docstring examples (>>> prompts) but 4 ran: '
        'an example must be in a docstring the doctest finder reaches (module, top-level '
        'class or function, method).')
