# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Child processes: each in its own process group, stopped or killed as a whole.

An Odoo server forks (HTTP workers, a jobrunner's children): signalling the
group, not the pid, is what leaves nothing behind.
"""
import os
import signal
import socket
import subprocess


def free_port():
    """A TCP port free now on 127.0.0.1 (for an Odoo server's HTTP port)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def start(cmd, log_path, env=None, cwd=None, append=False):
    """Popen ``cmd`` in a new process group, stdout and stderr to ``log_path``."""
    with open(log_path, 'ab' if append else 'wb') as log:
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env, cwd=cwd,
                                start_new_session=True)


def signal_group(proc, sig):
    """Send ``sig`` to the process group of ``proc`` (nothing if it is gone)."""
    try:
        os.killpg(proc.pid, sig)
    except OSError:  # already gone
        pass


def stop(proc, grace=30):
    """SIGTERM to the group; SIGKILL if still alive after ``grace`` seconds.

    Returns the exit code. Children that outlived the leader are killed too.
    """
    if proc.poll() is None:
        signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            signal_group(proc, signal.SIGKILL)
            proc.wait()
    signal_group(proc, signal.SIGKILL)
    return proc.returncode


def kill(proc):
    """kill -9 the group (a crash, as the others see it); returns the exit code."""
    if proc.poll() is None:
        signal_group(proc, signal.SIGKILL)
    return proc.wait()


def interrupt(proc, grace=60):
    """SIGINT to the group (pytest then runs its teardown: workers, remote Odoo),
    SIGKILL if it is still alive after ``grace`` seconds."""
    if proc.poll() is None:
        signal_group(proc, signal.SIGINT)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    return kill(proc)


def log_tail(path, chars=3000):
    """The end of a log file ('' when missing)."""
    try:
        with open(path, errors='replace') as fh:
            return fh.read()[-chars:]
    except OSError:
        return ''
