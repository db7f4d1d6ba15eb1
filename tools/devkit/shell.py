# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Printing, short commands and the error every step raises."""
import hashlib
import subprocess
import threading

_print_lock = threading.Lock()


class DevError(Exception):
    """A setup step failed; the message says what and what to do."""


def say(*args):
    """print() and flush, one line at a time across threads."""
    with _print_lock:
        print(*args, flush=True)


def tail(path, lines=30):
    """The last lines of a text file (or why it cannot be read)."""
    try:
        with open(path, errors='replace') as fh:
            return ''.join(fh.readlines()[-lines:])
    except OSError as exc:
        return '(cannot read %s: %s)' % (path, exc)


def run(cmd, check=True, **kw):
    """Run a short command and capture its output (text); DevError if it fails."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)
    if check and proc.returncode != 0:
        raise DevError('command failed (exit %s): %s\n%s' % (
            proc.returncode, ' '.join(cmd), proc.stdout.strip()))
    return proc


def sha256_file(path):
    with open(path, 'rb') as fh:
        return hashlib.sha256(fh.read()).hexdigest()
