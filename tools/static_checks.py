#!/usr/bin/env python3
"""Static checks of the repository: imports, import order, types, Odoo lint.

::

    python3 tools/static_checks.py                 every check; exit 1 on a finding
    python3 tools/static_checks.py --only mypy,isort
    python3 tools/static_checks.py --fix           sort the imports first (isort)

The checks, each with its configuration file (which says why each setting is
what it is):

``imports``  import-linter, ``.importlinter``: no import cycle in any package
             (imports inside functions count), and the layers of the code
             (cli > models | jobrunner > unit > queue > core, the mapper's,
             the example's) and what the worker and the example may import.
``isort``    isort, ``.isort.cfg``: the import order (stdlib, third party with
             odoo, ``odoo.addons``, this repository's helpers, relative).
``mypy``     mypy, ``.mypy.ini``: the core modules (backend registry, unit
             base class, queue, job runner, mapper) as Python 3.7 code.
``pylint``   pylint with the OCA's pylint-odoo, ``.pylintrc``: every Odoo
             check for 11.0, and pylint's checks that find bugs.
``pure``     this script (``PURE_MODULES``): the modules of pure logic reach
             neither Odoo nor psycopg2, even through our other modules.

The tools run from ``.venv-checks/``, a venv of the machine's Python
(3.10 to 3.12: 3.11 on Debian 12), built here from ``requirements-checks.txt``
when it is missing or that file changed (its sha256 is kept in
``.venv-checks/.requirements.sha256``), the way ``tools/dev.py`` builds
``.venv/``. That takes PyPI and nothing else; nothing is installed outside
the venv: when no suitable Python is found, the message says what to install.
The tools read the code without importing it, so they need neither Odoo
nor Python 3.7. ``CONNECTOR_CHECKS_PYTHON`` names the Python to use.

The checks run side by side and print their findings, then a summary line
each. Exit status: 0 when every check is clean, 1 on any finding, 2 when
the checks could not run (no Python for the venv, pip failed).
Timing (2-core machine, other test runs beside): 5 to 10 s once the venv
exists, pylint being the longest; building the venv adds about 10 s (8 s
measured with pip's cache off).
"""
import argparse
import ast
import contextlib
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(REPO, '.venv-checks')
VENV_BIN = os.path.join(VENV, 'bin')
REQUIREMENTS = os.path.join(REPO, 'requirements-checks.txt')
REQ_STAMP = os.path.join(VENV, '.requirements.sha256')
WORK_DIR = os.path.join(REPO, 'var', 'static_checks')
#: odoo/addons/{connector,connector_example} links: import-linter sees the
#: addons under the names Odoo imports them by (see .importlinter).
IMPORT_ROOT = os.path.join(WORK_DIR, 'import_root')
ADDONS = ('connector', 'connector_example')
PYTHON_VERSIONS = ((3, 10), (3, 11), (3, 12))
#: The modules of pure logic, tested without a database (tests/unit/): channel
#: configuration, retry delays, argument encoding, the queue's SQL text,
#: mapping records and decorators, the exceptions. They must not import the
#: ORM or a database driver, not even through another module of ours (check
#: ``pure``; import-linter cannot express it here, see .importlinter).
PURE_MODULES = [
    'connector/exception.py',
    'connector/queue/channels.py',
    'connector/queue/rate_limits.py',
    'connector/queue/encoding.py',
    'connector/queue/queries.py',
    'connector/queue/retry.py',
    'connector/unit/mapper/decorators.py',
    'connector/unit/mapper/map_record.py',
]
IMPURE_PACKAGES = ('odoo', 'psycopg2')
CHECK_TIMEOUT = 600  # seconds; a check takes under 20 s


class SetupError(Exception):
    """The checks cannot run; the message says what is missing."""


def say(*args):
    print(*args, flush=True)


def rel(path):
    return os.path.relpath(path, REPO)


# ---------------------------------------------------------------- the venv

def _python_version(exe):
    """(major, minor) of ``exe`` if it can make a venv with pip, else None."""
    try:
        out = subprocess.run(
            [exe, '-c', 'import sys, venv, ensurepip; print("%d %d" % sys.version_info[:2])'],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True,
            timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    major, minor = out.stdout.split()
    return int(major), int(minor)


def find_python():
    """A Python 3.10-3.12 that can create a venv; SetupError naming what was tried."""
    wanted = os.environ.get('CONNECTOR_CHECKS_PYTHON')
    if wanted:
        candidates = [wanted]
    else:
        candidates = ['/usr/bin/python3']
        candidates += [shutil.which('python3.%d' % minor) for minor in (11, 12, 10)]
        candidates += [shutil.which('python3'), sys.executable]
        pyenv_root = os.environ.get('PYENV_ROOT') or os.path.expanduser('~/.pyenv')
        candidates += sorted(glob.glob(os.path.join(pyenv_root, 'versions', '3.1[0-2]*',
                                                    'bin', 'python')))
    tried, seen = [], set()
    for exe in candidates:
        if not exe or exe in seen:
            continue
        seen.add(exe)
        if not os.path.exists(exe):
            if wanted:
                tried.append('%s (no such file)' % exe)
            continue
        version = _python_version(exe)
        if version in PYTHON_VERSIONS:
            return exe
        tried.append('%s (%s)' % (exe, '%d.%d' % version if version else 'no venv/ensurepip'))
    raise SetupError(
        'static checks: no Python 3.10-3.12 with venv and ensurepip found (tried: %s). '
        'On Debian 12: apt-get install python3 python3-venv; or point '
        'CONNECTOR_CHECKS_PYTHON at one.' % (', '.join(tried) or 'nothing on PATH'))


def _sha256(path):
    with open(path, 'rb') as fh:
        return hashlib.sha256(fh.read()).hexdigest()


@contextlib.contextmanager
def _venv_lock():
    """One process at a time builds the venv (two `make test` at once)."""
    import fcntl
    os.makedirs(WORK_DIR, exist_ok=True)
    with open(os.path.join(WORK_DIR, 'venv.lock'), 'w') as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _venv_is_current(wanted):
    if not os.path.exists(REQ_STAMP):
        return False
    with open(REQ_STAMP) as fh:
        return fh.read().strip() == wanted


def ensure_venv():
    """Build .venv-checks/ unless its stamp matches requirements-checks.txt."""
    wanted = _sha256(REQUIREMENTS)
    if _venv_is_current(wanted):
        return
    with _venv_lock():
        if _venv_is_current(wanted):  # built meanwhile by another process
            return
        python = find_python()
        if os.path.exists(VENV):
            say('static checks: requirements-checks.txt changed: rebuilding %s' % rel(VENV))
            shutil.rmtree(VENV)
        log = os.path.join(WORK_DIR, 'pip-install.log')
        say('static checks: creating %s with %s, installing requirements-checks.txt '
            '(log: %s)' % (rel(VENV), python, rel(log)))
        started = time.time()
        with open(log, 'w') as fh:
            steps = [[python, '-m', 'venv', VENV],
                     [os.path.join(VENV_BIN, 'python'), '-m', 'pip', 'install',
                      '--disable-pip-version-check', '--no-input', '-r', REQUIREMENTS]]
            for cmd in steps:
                rc = subprocess.call(cmd, stdout=fh, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=REPO)
                if rc != 0:
                    shutil.rmtree(VENV, ignore_errors=True)
                    raise SetupError(
                        'static checks: `%s` failed (exit %s): PyPI unreachable, or a pin '
                        'in requirements-checks.txt not installable on this Python? Last '
                        'lines of %s:\n%s' % (' '.join(cmd[:4]), rc, rel(log), _tail(log)))
        with open(REQ_STAMP, 'w') as fh:
            fh.write(wanted + '\n')
        say('static checks: %s ready in %.0f s' % (rel(VENV), time.time() - started))


def _tail(path, lines=20):
    with open(path, errors='replace') as fh:
        return ''.join(fh.readlines()[-lines:])


def pinned_versions():
    """{distribution: version} read from requirements-checks.txt (all pinned)."""
    versions = {}
    with open(REQUIREMENTS) as fh:
        for line in fh:
            match = re.match(r'\s*([A-Za-z0-9_.-]+)==(\S+)', line)
            if match:
                versions[match.group(1).lower()] = match.group(2)
    return versions


# ---------------------------------------------------------------- the checks

def _imported_modules(path):
    """(line, dotted name) of every import in the file at ``path``, inside
    functions too; relative imports resolved (``odoo.addons.`` dropped)."""
    module = os.path.relpath(path, REPO)[:-3].replace(os.sep, '.')
    package = module.rsplit('.', 1)[0] if not module.endswith('__init__') else module[:-9]
    with open(path) as fh:
        tree = ast.parse(fh.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                parts = package.split('.')[:len(package.split('.')) - node.level + 1]
                base = '.'.join(parts + ([base] if base else []))
            # `from pkg import name`: name may be a submodule of pkg
            names = [base] + ['%s.%s' % (base, alias.name) for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith('odoo.addons.'):
                name = name[len('odoo.addons.'):]
            yield node.lineno, name


def _module_file(name):
    """The file of our module ``name`` (a.b.c), or None when it is not ours."""
    base = os.path.join(REPO, *name.split('.'))
    for path in (base + '.py', os.path.join(base, '__init__.py')):
        if os.path.isfile(path):
            return path
    return None


def impure_imports(start):
    """Import chains from the file ``start`` to Odoo or psycopg2, following our
    own modules; each chain a list of 'file:line name' steps."""
    found, seen, todo = [], {start}, [(start, [])]
    while todo:
        path, chain = todo.pop()
        reported = set()  # one finding per import statement
        for line, name in _imported_modules(path):
            step = chain + ['%s:%d %s' % (rel(path), line, name)]
            if name.split('.')[0] in IMPURE_PACKAGES:
                if line not in reported:
                    reported.add(line)
                    found.append(step)
                continue
            target = _module_file(name)
            if target and target not in seen:
                seen.add(target)
                todo.append((target, step))
    return found


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
            'pure', 'static_checks.py', 'PURE_MODULES', [],
            hint='keep the module free of the ORM and the database driver: move what '
                 'needs them to a module that is allowed to (see PURE_MODULES)'),
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
            ['pylint', '--rcfile', '.pylintrc'] + list(ADDONS),
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
        say('  %-8s %-12s %5.1f s  %s (%s)' % (
            check.name, 'OK' if not count else '%d finding%s' % (count, 's' if count > 1 else ''),
            check.seconds, _tool_label(check.tool, versions), check.config))
    if failed:
        say('static checks: FAILED (%s)' % ', '.join(check.name for check in failed))
        return 1
    say('static checks: OK')
    return 0


def main(argv=None):
    names = [check.name for check in all_checks()]
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        epilog='Checks: %s. See the module docstring for details.' % ', '.join(names))
    parser.add_argument('--only', metavar='NAMES',
                        help='comma-separated checks to run (default: all)')
    parser.add_argument('--fix', action='store_true',
                        help='sort the imports with isort before checking')
    opts = parser.parse_args(argv)
    checks = all_checks()
    if opts.only:
        wanted = [name.strip() for name in opts.only.split(',') if name.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            parser.error('unknown check(s) %s; choose among %s' % (
                ', '.join(unknown), ', '.join(names)))
        checks = [check for check in checks if check.name in wanted]
    try:
        ensure_venv()
    except SetupError as err:
        say(str(err))
        return 2
    if opts.fix:
        fix_import_order()
    return run_checks(checks)


if __name__ == '__main__':
    sys.exit(main())
