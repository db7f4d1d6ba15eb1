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
``pure``     ``tools/staticcheck/pure.py`` (``PURE_MODULES``): the modules of pure
             logic reach neither Odoo nor psycopg2, even through our other modules.
``queue-sql`` ``tools/staticcheck/queue_sql.py`` (``QUEUE_SQL_FILES``): outside the
             queue store and its statements, no code runs the queue's SQL or
             holds SQL on a ``queue_job`` table.
``sql``      ``tools/staticcheck/sqlcheck.py``: every block of ``connector/queue/sql/``
             loaded into a scratch PostgreSQL database (rolled back, then dropped):
             the server, not a linter, because the claim is PL/pgSQL. Needs psql.
``vocabulary`` ``tools/staticcheck/vocabulary.py`` (``CONNECTOR_WORDS``): the job
             queue (``connector/queue``, ``models/queue_job*.py``) names neither
             ``connector.backend`` nor ``external.binding``, in any spelling.

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
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from staticcheck.checks import all_checks, fix_import_order, run_checks  # noqa: E402
from staticcheck.venv import SetupError, ensure_venv, say  # noqa: E402


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
