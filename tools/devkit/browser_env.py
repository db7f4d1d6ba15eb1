# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the browser tests need, installed by the test command (stdlib only).

The web client of Odoo 11 compiles its stylesheets with ``lessc``; the
browser tests (``tests/browser/``) drive Debian's ``chromium`` with
Playwright for Python. None of it is on a fresh machine, so
``tools/dev.py test`` (and ``tools/dev.py browser``) install, each only when
missing or out of date:

1. ``lessc``: npm packages ``less`` 3 and ``less-plugin-clean-css`` into
   ``.node/`` (``.node/node_modules/.bin`` is put first on the PATH of the
   Odoo servers the tests start); the versions wanted are kept in
   ``.node/.stamp``. Node.js and npm come from Debian when missing.
2. ``chromium``: Debian's package, ``apt-get update`` then ``apt-get install
   chromium`` (as root, else through ``sudo -n``). Playwright never downloads
   a browser here: none is reachable, the tests launch ``/usr/bin/chromium``.
3. ``.venv-browser/``: a venv of a Python >= 3.8 (the machine's python3,
   3.11 on Debian 12; Playwright needs more than Odoo's 3.7) with
   ``requirements-browser.txt``; its sha256 is kept in
   ``.venv-browser/.requirements.sha256``, as for ``.venv/``.

The tests need not import ``odoo``: they start Odoo servers (with the main
``.venv``) and talk to them over HTTP and XML-RPC.
"""
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODE_DIR = os.path.join(REPO, '.node')
NODE_BIN = os.path.join(NODE_DIR, 'node_modules', '.bin')
NODE_STAMP = os.path.join(NODE_DIR, '.stamp')
LESS_PACKAGES = ['less@3.13.1', 'less-plugin-clean-css@1.6.0']
BROWSER_VENV = os.path.join(REPO, '.venv-browser')
BROWSER_PYTHON = os.path.join(BROWSER_VENV, 'bin', 'python')
BROWSER_REQUIREMENTS = os.path.join(REPO, 'requirements-browser.txt')
BROWSER_STAMP = os.path.join(BROWSER_VENV, '.requirements.sha256')
CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser']


class SetupError(Exception):
    """An install step failed; the message says what and what to do."""


def _say(*args):
    print(*args, flush=True)


def _run(cmd, log=None, env=None):
    """Run cmd; its output goes to log (or is captured); raise SetupError on failure."""
    t0 = time.time()
    if log:
        with open(log, 'a') as fh:
            fh.write('$ %s\n' % ' '.join(cmd))
            fh.flush()
            rc = subprocess.call(cmd, stdout=fh, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, env=env)
        out = ''
    else:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, universal_newlines=True, env=env)
        rc, out = proc.returncode, proc.stdout
    if rc != 0:
        last = out.strip()
        if log:
            with open(log, errors='replace') as fh:
                last = ''.join(fh.readlines()[-20:])
        raise SetupError('command failed (exit %s): %s\n%s' % (rc, ' '.join(cmd), last))
    return out, time.time() - t0


def _as_root(cmd):
    return cmd if os.geteuid() == 0 else ['sudo', '-n'] + cmd


_apt_updated = []


def apt_install(packages, log):
    """apt-get install packages (apt-get update first, once per run)."""
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    if not shutil.which('apt-get'):
        raise SetupError('%s missing and no apt-get here: install them by hand'
                         % ', '.join(packages))
    if not _apt_updated:
        _say('browser: apt-get update (log %s)' % os.path.relpath(log, REPO))
        _run(_as_root(['apt-get', 'update']), log=log, env=env)
        _apt_updated.append(True)
    _say('browser: apt-get install %s (log %s)' % (' '.join(packages), os.path.relpath(log, REPO)))
    _, seconds = _run(_as_root(['apt-get', 'install', '-y', '--no-install-recommends']
                               + packages), log=log, env=env)
    _say('browser: installed %s in %.0f s' % (', '.join(packages), seconds))


def find_chromium():
    for path in CHROMIUM_PATHS:
        if os.path.exists(path):
            return path
    return None


def ensure_chromium(log):
    """Path of Debian's chromium, installed with apt-get when missing."""
    path = find_chromium()
    if not path:
        apt_install(['chromium', 'fonts-liberation'], log)
        path = find_chromium()
        if not path:
            raise SetupError('apt-get installed chromium but none of %s exists'
                             % ', '.join(CHROMIUM_PATHS))
    # Debian's wrapper script may print shell noise before the version line.
    version, _ = _run([path, '--version'])
    _say('browser: %s (%s)' % (version.strip().splitlines()[-1], path))
    return path


def ensure_lessc(log):
    """Directory holding lessc (npm less 3 + clean-css plugin), installed when missing."""
    wanted = ' '.join(LESS_PACKAGES)
    lessc = os.path.join(NODE_BIN, 'lessc')
    if os.path.exists(NODE_STAMP) and os.path.exists(lessc):
        with open(NODE_STAMP) as fh:
            if fh.read().strip() == wanted:
                _say('browser: lessc is up to date in %s' % os.path.relpath(NODE_BIN, REPO))
                return NODE_BIN
    if not shutil.which('npm') or not shutil.which('node'):
        apt_install(['nodejs', 'npm'], log)
    os.makedirs(NODE_DIR, exist_ok=True)
    _say('browser: npm install %s into %s' % (wanted, os.path.relpath(NODE_DIR, REPO)))
    _, seconds = _run(['npm', 'install', '--prefix', NODE_DIR, '--no-save', '--no-audit',
                       '--no-fund', '--loglevel=error'] + LESS_PACKAGES, log=log)
    version, _ = _run([lessc, '--version'])
    if 'lessc 3.' not in version:
        raise SetupError('%s --version says %r, expected lessc 3.x' % (lessc, version.strip()))
    with open(NODE_STAMP, 'w') as fh:
        fh.write(wanted + '\n')
    _say('browser: %s installed in %.0f s' % (version.strip(), seconds))
    return NODE_BIN


def _python_ok(exe):
    try:
        out = subprocess.run([exe, '-c', 'import sys, venv; print(sys.version_info >= (3, 8))'],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             universal_newlines=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.strip() == 'True'


def find_python3():
    """A Python >= 3.8 with venv: this one, else python3.11 / python3 on PATH."""
    candidates = [os.environ.get('CONNECTOR_BROWSER_PYTHON'), sys.executable,
                  shutil.which('python3.11'), shutil.which('python3'), '/usr/bin/python3']
    candidates += sorted(glob.glob(os.path.expanduser('~/.pyenv/versions/3.1*/bin/python')))
    for exe in candidates:
        if exe and os.path.exists(exe) and _python_ok(exe):
            return exe
    raise SetupError('no Python >= 3.8 with venv found for the browser tests; set '
                     'CONNECTOR_BROWSER_PYTHON to one')


def ensure_browser_venv(log):
    """Python of .venv-browser/, (re)built when requirements-browser.txt changed."""
    with open(BROWSER_REQUIREMENTS, 'rb') as fh:
        wanted = hashlib.sha256(fh.read()).hexdigest()
    if os.path.exists(BROWSER_STAMP) and os.path.exists(BROWSER_PYTHON):
        with open(BROWSER_STAMP) as fh:
            if fh.read().strip() == wanted:
                _say('browser: %s is up to date with %s' % (
                    os.path.relpath(BROWSER_VENV, REPO),
                    os.path.relpath(BROWSER_REQUIREMENTS, REPO)))
                return BROWSER_PYTHON
    python = find_python3()
    if os.path.exists(BROWSER_VENV):
        shutil.rmtree(BROWSER_VENV)
    _say('browser: creating %s with %s, installing %s' % (
        os.path.relpath(BROWSER_VENV, REPO), python,
        os.path.relpath(BROWSER_REQUIREMENTS, REPO)))
    _run([python, '-m', 'venv', BROWSER_VENV])
    # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: the tests use Debian's chromium, nothing else.
    env = dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD='1')
    _, seconds = _run([BROWSER_PYTHON, '-m', 'pip', 'install', '--disable-pip-version-check',
                       '--no-input', '-r', BROWSER_REQUIREMENTS], log=log, env=env)
    with open(BROWSER_STAMP, 'w') as fh:
        fh.write(wanted + '\n')
    _say('browser: venv installed in %.0f s' % seconds)
    return BROWSER_PYTHON


def ensure_all(log_dir):
    """Install what is missing; returns {'lessc_dir', 'chromium', 'python'}."""
    os.makedirs(log_dir, exist_ok=True)
    log = os.path.join(log_dir, 'browser-setup.log')
    t0 = time.time()
    tools = {
        'lessc_dir': ensure_lessc(log),
        'chromium': ensure_chromium(log),
        'python': ensure_browser_venv(log),
    }
    _say('browser: tools ready in %.0f s' % (time.time() - t0))
    return tools
