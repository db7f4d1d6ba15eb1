# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one way this repository runs the usage examples of its docstrings.

A docstring example that nobody runs rots. Every module with examples is
run through ``assert_doctests_pass()``: the fast tier
(``tests/unit/test_doctests.py``, no database) runs those of the pure
modules, and an Odoo test runs those that need a real ``env``, giving it
in ``extraglobs``::

    from odoo.addons.connector.tests.doctests import assert_doctests_pass

    def test_docstring_examples(self):
        assert_doctests_pass(session_module, extraglobs={'env': self.env})

Besides failures, it refuses a module where fewer examples ran than its
source holds (``>>>`` prompts): an example that the doctest finder does
not reach (in a nested function, on an object imported from elsewhere)
would otherwise pass silently.
"""
import doctest
import inspect
import re
from typing import NamedTuple, Optional

#: ``...`` matches anything in an expected output (tracebacks, addresses).
OPTIONFLAGS = doctest.ELLIPSIS

_PROMPT = re.compile(r'^\s*>>> ', re.MULTILINE)


class DoctestReport(NamedTuple):
    """What running the examples of one module gave."""

    module: str
    attempted: int
    failed: int
    output: str  # the doctest report of the failures, empty when none failed


def examples_in_source(module) -> int:
    """How many examples (``>>>`` prompts) the source of ``module`` holds."""
    return len(_PROMPT.findall(inspect.getsource(module)))


def run_doctests(module, extraglobs: Optional[dict] = None) -> DoctestReport:
    """Run the docstring examples of ``module``; they see its globals and ``extraglobs``."""
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS, verbose=False)
    output = []
    for test in finder.find(module, extraglobs=extraglobs):
        runner.run(test, out=output.append)
    attempted, failed = runner.tries, runner.failures
    return DoctestReport(module.__name__, attempted, failed, ''.join(output))


def assert_doctests_pass(module, extraglobs: Optional[dict] = None) -> DoctestReport:
    """Run the examples of ``module``; AssertionError unless every one ran and passed.

    The message of a failure is doctest's report (example, expected, got).
    """
    report = run_doctests(module, extraglobs)
    expected = examples_in_source(module)
    if report.failed:
        raise AssertionError('%d of %d docstring examples of %s failed:\n%s' % (
            report.failed, report.attempted, report.module, report.output))
    if report.attempted != expected:
        raise AssertionError(
            '%s holds %d docstring examples (>>> prompts) but %d ran: an example '
            'must be in a docstring the doctest finder reaches (module, top-level '
            'class or function, method).' % (report.module, expected, report.attempted))
    return report
