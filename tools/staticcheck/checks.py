# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each check: its tool's command, how its findings are counted; and the report.

The tools run side by side from ``.venv-checks/``; ``pure``, ``queue-sql`` and
``vocabulary`` run in this process.
"""
import os
import re
import subprocess
import sys
import time

from .pure import PURE_MODULES, impure_imports
from .queue_sql import queue_sql_outside_the_store
from .venv import ADDONS, IMPORT_ROOT, REMOTE_ADDONS, REPO, VENV_BIN, pinned_versions, say
from .vocabulary import connector_words

CHECK_TIMEOUT = 600  # seconds; a check takes under 20 s


def prepare_import_root():
    """var/static_checks/import_root/odoo/addons/<addon> -> the addon's folder."""
    addons_dir = os.path.join(IMPORT_ROOT, 'odoo', 'addons')
    os.makedirs(addons_dir, exist_ok=True)
    for addon in ADDONS:
        link = os.path.join(addons_dir, addon)
        target = os.path.relpath(os.path.join(REPO, addon), addons_dir)
        if os.path.islink(link) and os.readlink(link) == target:
            continue
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(target, link)


class Check(object):
    """One tool run: its command, then how to count its findings in the output."""

    def __init__(self, name, tool, config, cmd, env=None, hint=''):
        self.name = name
        self.tool = tool
        self.config = config
        self.cmd = cmd
        self.env = env
        self.hint = hint
        self.proc = self.output = self.returncode = None
        self.started = self.seconds = 0.0

    def start(self):
        env = dict(os.environ, NO_COLOR='1', TERM='dumb', COLUMNS='100')
        env.update(self.env or {})
        self.started = time.time()
        self.proc = subprocess.Popen(
            [os.path.join(VENV_BIN, self.cmd[0])] + self.cmd[1:], cwd=REPO, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            universal_newlines=True)

    def wait(self):
        try:
            self.output, _ = self.proc.communicate(timeout=CHECK_TIMEOUT)
            self.returncode = self.proc.returncode
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.output = self.proc.communicate()[0] + '\n(killed after %d s)' % CHECK_TIMEOUT
            self.returncode = -1
        self.seconds = time.time() - self.started

    def findings(self):
        """How many things to fix (at least 1 when the tool failed)."""
        count = self.count_findings(self.output)
        return max(count, 1) if self.returncode != 0 else count

    def count_findings(self, output):
        raise NotImplementedError

    def report(self):
        """The output worth showing: the findings, without the tool's chrome."""
        return self.output.strip()


class ImportContracts(Check):

    def count_findings(self, output):
        return len(re.findall(r' BROKEN$', output, re.M))


class PureModules(Check):
    """Runs here, in this process: a few files to parse."""

    def start(self):
        self.started = time.time()
        chains = []
        for path in PURE_MODULES:
            chains += impure_imports(os.path.join(REPO, path))
        self.output = '\n'.join(' -> '.join(chain) for chain in chains)
        self.returncode = 1 if chains else 0
        self.seconds = time.time() - self.started

    def wait(self):
        pass  # done in start()

    def count_findings(self, output):
        return len(output.splitlines())


class QueueSqlInTheStore(Check):
    """Runs here, in this process: a text search of the addons' files."""

    def start(self):
        self.started = time.time()
        found = queue_sql_outside_the_store()
        self.output = '\n'.join(found)
        self.returncode = 1 if found else 0
        self.seconds = time.time() - self.started

    def wait(self):
        pass  # done in start()

    def count_findings(self, output):
        return len(output.splitlines())


class SqlInPostgres(Check):
    """``sqlcheck.py`` with this Python: it needs psql, not the venv's tools."""

    def start(self):
        self.started = time.time()
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                          'sqlcheck.py')],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, universal_newlines=True)

    def count_findings(self, output):
        return len(re.findall(r'^\S.*: psql:<stdin>:\d+: ERROR', output, re.M))


class QueueVocabulary(Check):
    """Runs here, in this process: a grep of a few files."""

    def start(self):
        self.started = time.time()
        self.output = '\n'.join(connector_words())
        self.returncode = 1 if self.output else 0
        self.seconds = time.time() - self.started

    def wait(self):
        pass  # done in start()

    def count_findings(self, output):
        return len(output.splitlines())


class ImportOrder(Check):

    def count_findings(self, output):
        return len(re.findall(r'^ERROR: .* Imports are incorrectly sorted', output, re.M))


class Types(Check):

    def count_findings(self, output):
        return len(re.findall(r'^\S+:\d+: error:', output, re.M))


class Pylint(Check):

    def count_findings(self, output):
        return len(re.findall(r'^\S+:\d+:\d+: [A-Z]\d+: ', output, re.M))


def all_checks():
    return [
        ImportContracts(
            'imports', 'import-linter', '.importlinter',
            ['lint-imports', '--no-logo', '--no-cache', '.importlinter'],
            env={'PYTHONPATH': IMPORT_ROOT},
            hint='break the cycle or the layer violation by design (see the contract '
                 'comments in .importlinter), not with an import inside a function'),
        PureModules(
            'pure', 'staticcheck/pure.py', 'PURE_MODULES', [],
            hint='keep the module free of the ORM and the database driver: move what '
                 'needs them to a module that is allowed to (see PURE_MODULES)'),
        QueueSqlInTheStore(
            'queue-sql', 'staticcheck/queue_sql.py', 'QUEUE_SQL_FILES', [],
            hint='ask QueueStore (connector/queue/store.py) instead: add a named, described '
                 'block to connector/queue/sql/queries.sql and a store method that runs it'),
        SqlInPostgres(
            'sql', 'staticcheck/sqlcheck.py', 'queue_tables.sql', [],
            hint='fix the block named above in connector/queue/sql/ (every block is '
                 'loaded into a scratch PostgreSQL database, see sqlcheck.py)'),
        QueueVocabulary(
            'vocabulary', 'staticcheck/vocabulary.py', 'CONNECTOR_WORDS', [],
            hint='the queue stays generic: let the code that delays the job say what it '
                 'is about and where it goes (connector/queue/about.py, @job(about=...), '
                 '_job_about())'),
        ImportOrder(
            'isort', 'isort', '.isort.cfg',
            ['isort', '--settings-path', '.isort.cfg', '--check-only', '--diff', '.'],
            hint='`python3 tools/static_checks.py --fix` sorts them'),
        Types(
            'mypy', 'mypy', '.mypy.ini',
            ['mypy', '--config-file', '.mypy.ini'],
            hint='fix the code or its annotations; a `# type: ignore[code]` needs a reason'),
        Pylint(
            'pylint', 'pylint-odoo', '.pylintrc',
            ['pylint', '--rcfile', '.pylintrc'] + list(ADDONS) + list(REMOTE_ADDONS),
            hint='fix it, or disable that one line with `# pylint: disable=<check>` and '
                 'the reason in a comment'),
    ]


def fix_import_order():
    say('static checks: sorting imports (isort, .isort.cfg)')
    subprocess.call([os.path.join(VENV_BIN, 'isort'), '--settings-path', '.isort.cfg', '.'],
                    cwd=REPO)


def _tool_label(tool, versions):
    return '%s %s' % (tool, versions[tool]) if tool in versions else tool


def run_checks(checks):
    """Start every check, then collect them; findings printed in a fixed order."""
    prepare_import_root()
    for check in checks:
        check.start()
    for check in checks:
        check.wait()
    versions = pinned_versions()
    failed = []
    for check in checks:
        count = check.findings()
        if count:
            failed.append(check)
            say('\n== %s (%s, %s): %d finding%s' % (
                check.name, _tool_label(check.tool, versions), check.config, count,
                's' if count > 1 else ''))
            say(check.report())
            say('-> %s' % check.hint)
    say('\n== static checks')
    for check in checks:
        count = check.findings()
        say('  %-10s %-12s %5.1f s  %s (%s)' % (
            check.name, 'OK' if not count else '%d finding%s' % (count, 's' if count > 1 else ''),
            check.seconds, _tool_label(check.tool, versions), check.config))
    if failed:
        say('static checks: FAILED (%s)' % ', '.join(check.name for check in failed))
        return 1
    say('static checks: OK')
    return 0
