# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""When to try a job again after a ``RetryableJobError``.

A retry pattern maps a try count to a delay in seconds: with
``{1: 10, 5: 60, 10: 600}`` tries 1 to 4 wait 10 s, tries 5 to 9 wait a
minute, later ones 10 minutes. Without a pattern the delay doubles from
10 seconds up to an hour (exponential backoff). An exception's own
``seconds`` wins over both.

    >>> pattern = check_retry_pattern({1: 10, 5: 60, 10: 600})
    >>> [retry_delay(n, pattern) for n in (1, 4, 5, 9, 10, 50)]
    [10, 10, 60, 60, 600, 600]
    >>> [retry_delay(n) for n in (1, 2, 3, 10, 20)]
    [10, 20, 40, 3600, 3600]

Pure Python: no ORM, no database.
"""
from typing import Dict, Mapping, Optional

DEFAULT_FIRST_DELAY = 10
DEFAULT_MAX_DELAY = 3600

RetryPattern = Dict[int, int]


def check_retry_pattern(pattern: Optional[Mapping]) -> RetryPattern:
    """Return the pattern with int keys and values, or raise ValueError.

    Keys are try counts (from 1), values delays in seconds (from 0).
    """
    if pattern is None:
        return {}
    if not isinstance(pattern, Mapping):
        raise ValueError('retry pattern %r: give a dict {try count: seconds}, '
                         'e.g. {1: 10, 5: 60}' % (pattern,))
    checked = {}
    for count, seconds in pattern.items():
        if (not isinstance(count, int) or isinstance(count, bool) or count < 1
                or not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 0):
            raise ValueError(
                'retry pattern %r: entry %r: %r is wrong; keys are try counts (whole '
                'numbers from 1) and values delays in whole seconds (from 0)'
                % (pattern, count, seconds))
        checked[count] = seconds
    return checked


def retry_delay(tries: int, pattern: Optional[RetryPattern] = None,
                seconds: Optional[float] = None) -> float:
    """Seconds to wait before running again a job that has been tried ``tries`` times.

    :param tries: how many times the job has started, this time included
    :param pattern: a checked retry pattern, or None for exponential backoff
    :param seconds: the delay the job asked for (``RetryableJobError.seconds``)
    """
    if seconds is not None:
        return max(0, seconds)
    if pattern:
        applicable = [count for count in pattern if count <= tries]
        if applicable:
            return pattern[max(applicable)]
        return pattern[min(pattern)]
    exponent = min(max(tries, 1) - 1, 20)
    return min(DEFAULT_FIRST_DELAY * 2 ** exponent, DEFAULT_MAX_DELAY)


def retries_exhausted(tries: int, max_retries: int) -> bool:
    """True when a job tried ``tries`` times may not be tried again.

    ``max_retries`` 0 means no limit.

    >>> retries_exhausted(5, 5), retries_exhausted(4, 5), retries_exhausted(99, 0)
    (True, False, False)
    """
    return max_retries > 0 and tries >= max_retries
