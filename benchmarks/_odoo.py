# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared helpers of the benchmark scripts: load Odoo, time rounds, report.

Importing it also puts ``tools/`` on ``sys.path``, for ``devkit`` (job
workers, the remote Odoo).
"""
import os
import statistics
import sys
import time
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api

TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'tools')
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)


def load_config(config_path):
    odoo.tools.config.parse_config(['-c', config_path, '--log-level=warn'])
    odoo.modules.module.initialize_sys_path()


@contextmanager
def rolled_back_env(db_name):
    """An environment on a new cursor; everything is rolled back at the end."""
    registry = odoo.registry(db_name)
    with api.Environment.manage():
        cr = registry.cursor()
        try:
            yield api.Environment(cr, SUPERUSER_ID, {})
        finally:
            cr.rollback()
            cr.close()


def query(db_name, sql, params=None):
    """Rows of ``sql`` (None for a statement without rows), committed."""
    with odoo.sql_db.db_connect(db_name).cursor() as cr:
        cr.execute(sql, params)
        rows = cr.fetchall() if cr.description else None
        cr.commit()
        return rows


#: Polled until the batch is done: its rows by primary key range. Polling with
#: the batch's 1,000 uuids in a list cost PostgreSQL 2.2 ms of CPU (1.5 of
#: them planning the list) every 10 ms: a fifth of a core taken from the
#: workers measured on 2 cores.
DONE_IN_RANGE = "SELECT count(*) FROM queue_job WHERE id BETWEEN %s AND %s AND state = 'done'"
DONE_OF_UUIDS = "SELECT count(*) FROM queue_job WHERE uuid IN %s AND state = 'done'"


def wait_all_done(db_name, uuids, poll=0.01):
    """Return once every job of ``uuids`` is done (``DONE_IN_RANGE`` polled, then
    checked by uuid)."""
    (low, high), = query(db_name, 'SELECT min(id), max(id) FROM queue_job WHERE uuid IN %s',
                         (tuple(uuids),))
    while True:
        if query(db_name, DONE_IN_RANGE, (low, high))[0][0] >= len(uuids) \
                and query(db_name, DONE_OF_UUIDS, (tuple(uuids),))[0][0] == len(uuids):
            return
        time.sleep(poll)


def rate_until_done(db_name, uuids, committed, before_delete=None):
    """Jobs per second from ``committed`` (a time.time()) until every job of ``uuids``
    is done, and their tries per job; the jobs are deleted afterwards, once
    ``before_delete(uuids)`` (when given) has read what it needs of them."""
    wait_all_done(db_name, uuids)
    rate = len(uuids) / (time.time() - committed)
    tries = query(db_name, 'SELECT sum(retry) FROM queue_job WHERE uuid IN %s',
                  (tuple(uuids),))[0][0]
    if before_delete is not None:
        before_delete(uuids)
    query(db_name, 'DELETE FROM queue_job WHERE uuid IN %s', (tuple(uuids),))
    return rate, tries / len(uuids)


def timed(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def report(title, rows):
    """Print a table of (label, value, unit) rows."""
    print(title)
    for label, value, unit in rows:
        print('  %-44s %12.3f %s' % (label, value, unit))


median = statistics.median
