# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The django-oscar shop's venv ``.venv-oscar/`` (stdlib only).

django-oscar 3.2 needs a Python >= 3.10 that Odoo 11's 3.7 is not: the
shop has a venv of its own, built from ``remote_oscar/requirements.txt``
with the first of ``$CONNECTOR_OSCAR_PYTHON``, ``python3.13`` ...
``python3.10`` on PATH, ``/usr/bin/python3.11``, ``python3`` that is
>= 3.10 and has ``venv``. The requirements' sha256 is kept in
``.venv-oscar/.requirements.sha256``: the venv is rebuilt only when the
file changed (as ``.venv/`` and ``.venv-browser/`` are).
"""
import os
import shutil
import subprocess
import time

from .paths import LOG_DIR, REPO, rel
from .shell import DevError, say, sha256_file, tail

OSCAR_DIR = os.path.join(REPO, 'remote_oscar')
OSCAR_VENV = os.path.join(REPO, '.venv-oscar')
OSCAR_PYTHON = os.path.join(OSCAR_VENV, 'bin', 'python')
OSCAR_REQUIREMENTS = os.path.join(OSCAR_DIR, 'requirements.txt')
OSCAR_STAMP = os.path.join(OSCAR_VENV, '.requirements.sha256')
MIN_VERSION = (3, 10)


def _version(exe):
    """(major, minor) of a Python with venv, or None."""
    try:
        out = subprocess.run([exe, '-c', 'import sys, venv; print(*sys.version_info[:2])'],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             universal_newlines=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = out.stdout.split()
    return tuple(int(p) for p in parts) if out.returncode == 0 and len(parts) == 2 else None


def find_python():
    """A Python >= 3.10 with venv, or DevError naming what was tried and what to install."""
    candidates = [os.environ.get('CONNECTOR_OSCAR_PYTHON')]
    candidates += [shutil.which('python3.%d' % minor) for minor in range(13, 9, -1)]
    candidates += ['/usr/bin/python3.11', shutil.which('python3')]
    tried = []
    for exe in candidates:
        if not exe or exe in tried:
            continue
        tried.append(exe)
        version = _version(exe)
        if version and version >= MIN_VERSION:
            return exe
    raise DevError('the django-oscar shop needs Python >= 3.10 with venv; none found (tried: '
                   '%s). Install one (Debian 12: apt-get install python3.11 python3.11-venv) '
                   'or point CONNECTOR_OSCAR_PYTHON at one.' % (', '.join(tried) or 'nothing'))


def ensure_oscar_venv():
    """Python of ``.venv-oscar/``, (re)built when the requirements changed."""
    wanted = sha256_file(OSCAR_REQUIREMENTS)
    if os.path.exists(OSCAR_STAMP) and os.path.exists(OSCAR_PYTHON):
        with open(OSCAR_STAMP) as fh:
            if fh.read().strip() == wanted:
                return OSCAR_PYTHON
    python = find_python()
    if os.path.exists(OSCAR_VENV):
        say('oscar: %s changed (or the venv is incomplete): rebuilding %s'
            % (rel(OSCAR_REQUIREMENTS), rel(OSCAR_VENV)))
        shutil.rmtree(OSCAR_VENV)
    os.makedirs(LOG_DIR, exist_ok=True)
    log = os.path.join(LOG_DIR, 'oscar-pip-install.log')
    say('oscar: creating %s with %s, installing %s (log %s)'
        % (rel(OSCAR_VENV), python, rel(OSCAR_REQUIREMENTS), rel(log)))
    t0 = time.time()
    with open(log, 'w') as fh:
        rc = subprocess.call([python, '-m', 'venv', OSCAR_VENV], stdout=fh,
                             stderr=subprocess.STDOUT)
        if rc == 0:
            rc = subprocess.call(
                [OSCAR_PYTHON, '-m', 'pip', 'install', '--disable-pip-version-check',
                 '--no-input', '-r', OSCAR_REQUIREMENTS],
                stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if rc != 0:
        raise DevError('building %s failed (exit %s); last lines of %s:\n%s'
                       % (rel(OSCAR_VENV), rc, rel(log), tail(log)))
    with open(OSCAR_STAMP, 'w') as fh:
        fh.write(wanted + '\n')
    say('oscar: venv installed in %.0f s' % (time.time() - t0))
    return OSCAR_PYTHON
