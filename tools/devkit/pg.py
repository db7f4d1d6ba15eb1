# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PostgreSQL: start it, make a role for this user, run SQL, copy and drop databases.

Everything goes through ``psql`` over the Unix socket as the current OS
user (over TCP a password would be asked). A new Debian machine has the
server installed but not running and no role for ``root``:
``ensure_postgres()`` starts the cluster and creates a superuser role.

A database is *copied* from a template (``CREATE DATABASE ... TEMPLATE``,
a second), with its filestore, and given its own ``database.uuid``, as
Odoo's own duplicate does.
"""
import os
import pwd
import re
import shlex
import shutil
import time

from .shell import DevError, run, say, tail


class PgError(DevError):
    """A psql command failed; the message holds its output."""


def current_user():
    return pwd.getpwuid(os.geteuid()).pw_name


def check_db_name(name):
    """``name`` if it is a plain database name, else PgError."""
    if not re.match(r'^[a-z0-9_]+$', name):
        raise PgError('unexpected database name %r (use [a-z0-9_])' % name)
    return name


def literal(text):
    """``text`` as an SQL string literal (for psql -c, which takes no parameters)."""
    return "'%s'" % text.replace("'", "''")


def psql(sql, db='postgres', check=True):
    """Run one statement; its output (unaligned, tuples only), PgError on failure.

    With ``check=False``: the CompletedProcess, whatever the exit code.
    """
    proc = run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-d', db, '-c', sql],
               check=False)
    if not check:
        return proc
    if proc.returncode != 0:
        raise PgError('psql failed on %s: %s\n%s' % (db, sql, proc.stdout.strip()))
    return proc.stdout.strip()


def pg_ready():
    return run(['pg_isready', '-q', '-d', 'postgres'], check=False).returncode == 0


def _as_postgres(cmd):
    """Command line running cmd (a list) as the postgres OS user."""
    if os.geteuid() == 0:
        return ['su', 'postgres', '-s', '/bin/sh', '-c', ' '.join(cmd)]
    return ['sudo', '-n', '-u', 'postgres'] + cmd


def ensure_postgres():
    """Start PostgreSQL when it does not answer; create this user's role when missing."""
    if not shutil.which('psql') or not shutil.which('pg_isready'):
        raise DevError('PostgreSQL is not installed (no psql/pg_isready on PATH). '
                       'On Debian 12: apt-get install postgresql')
    if not pg_ready():
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
        if pg_ready():
            return
        time.sleep(0.5)
    raise DevError('PostgreSQL did not start. Command: %s (exit %s)\n%s\n%s' % (
        ' '.join(cmd), proc.returncode, proc.stdout.strip(),
        ('last lines of %s:\n%s' % (logfile, tail(logfile, 15))) if logfile else ''))


def db_exists(name):
    return psql("SELECT 1 FROM pg_database WHERE datname = '%s'" % check_db_name(name)) == '1'


def drop_db(name, filestore=None):
    """Drop database ``name`` (its sessions closed) and its folder under ``filestore``."""
    psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % check_db_name(name))
    if filestore:
        shutil.rmtree(os.path.join(filestore, name), ignore_errors=True)


def copy_db(name, template, filestore=None, template_filestore=None, attempts=20):
    """A fresh database ``name`` copied from ``template`` (an older one dropped first).

    Its ``database.uuid`` is its own; the template's folder under
    ``template_filestore`` (default ``filestore``) is copied under ``filestore``.
    A template being copied by another process at the same moment is retried.
    """
    drop_db(name, filestore)
    for attempt in range(attempts):
        try:
            psql('CREATE DATABASE "%s" TEMPLATE "%s"' % (name, check_db_name(template)))
            break
        except PgError as err:
            if 'is being accessed by other users' not in str(err) or attempt == attempts - 1:
                raise
            time.sleep(0.5)
    psql("UPDATE ir_config_parameter SET value = gen_random_uuid()::text "
         "WHERE key = 'database.uuid'", db=name)
    source = os.path.join(template_filestore or filestore or '', template)
    if filestore and os.path.isdir(source):
        shutil.copytree(source, os.path.join(filestore, name))
    return name


def module_states(db, names):
    """{addon: (state, installed version)} of the addons ``names`` in ``db``."""
    rows = psql("SELECT name, state, coalesce(latest_version, '') FROM ir_module_module "
                "WHERE name IN (%s) ORDER BY name"
                % ', '.join("'%s'" % check_db_name(n) for n in names), db=db)
    return {r.split('|')[0]: tuple(r.split('|')[1:]) for r in rows.splitlines() if r}
