# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where things are, and the venv ``.venv-checks/`` the tools run from.

Built from ``requirements-checks.txt`` with a Python 3.10 to 3.12 of this
machine when missing or when that file changed (its sha256 is kept in
``.venv-checks/.requirements.sha256``); ``CONNECTOR_CHECKS_PYTHON`` names
the Python to use.
"""
import contextlib
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(REPO, '.venv-checks')
VENV_BIN = os.path.join(VENV, 'bin')
REQUIREMENTS = os.path.join(REPO, 'requirements-checks.txt')
REQ_STAMP = os.path.join(VENV, '.requirements.sha256')
WORK_DIR = os.path.join(REPO, 'var', 'static_checks')
#: odoo/addons/{connector,connector_example} links: import-linter sees the
#: addons under the names Odoo imports them by (see .importlinter).
IMPORT_ROOT = os.path.join(WORK_DIR, 'import_root')
ADDONS = ('connector', 'connector_example')
#: Addons of the example's remote side (pylint only: they import no addon of ours).
REMOTE_ADDONS = ('remote_addons/connector_example_webhook_sender',)
PYTHON_VERSIONS = ((3, 10), (3, 11), (3, 12))


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
