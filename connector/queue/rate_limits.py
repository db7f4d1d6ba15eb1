# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rate limits of channels: how many jobs may *start* per period, on all workers.

A capacity bounds how many jobs of a channel run at once; a rate limit
bounds how fast they start, which is what a remote's "N requests per
second per account" asks for. A limit ``5/s`` with a burst of 3 lets 3
jobs start at once after a quiet spell, then one every 0.2 s. Like a
capacity, a channel's limit covers its subchannels: all of them draw on
the one allowance.

The algorithm: a token bucket, written as GCRA
--------------------------------------------------
("generic cell rate algorithm", the token bucket told with one timestamp.)
Each limited channel keeps one value, ``rate_next_start``: the time at
which the bucket would be full again if nothing else started. A job may
start at time ``now`` when::

    rate_next_start <= now + (burst - 1) * interval    (interval = period / limit)

and starting it moves ``rate_next_start`` to ``max(rate_next_start, now) +
interval``. So after a quiet spell ``burst`` jobs start at once, then one
per interval; no window of ``w`` seconds holds more than ``burst + w /
interval`` starts. The rule is written once, in SQL: the functions
``connector_rate_allows_v1`` and ``connector_rate_spend_v1`` of
``sql/schema.sql``, which the claim calls; ``tests/integration/test_queue_store.py``
plays them on generated attempts.

Why in PostgreSQL, inside the claim, and not a library
------------------------------------------------------
Workers on several machines must share one allowance, and the decision
"this job starts" must be taken together with "the allowance is spent":
a limiter checked apart from the claim (``limits``, ``pyrate-limiter``,
``token-bucket``: in-process or Redis buckets) could grant a token to a
worker that then finds no job, or let two workers claim on one token.
The claim of a job of a rate-limited channel already holds that
channel's row lock in one short transaction (``connector_claim_next_job_v4``
in ``sql/schema.sql``); reading and moving one timestamp there (in
``queue_job_channel_state``, which only claims write: a person editing the
channel in Odoo is never refused for it) costs nothing measurable and needs
no new server. The channel's own row holds a *pause* (``paused_until``): a remote
that answers "slow down for S seconds" stops the channel on every worker
(``exception.RemoteThrottled``).

This module is pure Python (no ORM, no database): it parses and checks
the limits an operator writes::

    >>> parse_rate('5/s')
    RateLimit(starts=5, period=1)
    >>> parse_rate('100/10m')
    RateLimit(starts=100, period=600)
    >>> try:
    ...     parse_rate('5/d')
    ... except ChannelConfigError as err:
    ...     print(err)
    rate '5/d': unknown unit 'd'; write N/s, N/m or N/h (N starts per second, minute \
or hour), e.g. '5/s' or '100/10m'
"""
import re
from typing import NamedTuple

from ..exception import ChannelConfigError

#: Seconds per unit of a rate.
UNITS = {'s': 1, 'm': 60, 'h': 3600}

_RATE = re.compile(r'^\s*(?P<starts>[^/\s]+)\s*/\s*(?P<count>\d*)\s*(?P<unit>[^\d\s]*)\s*$')


class RateLimit(NamedTuple):
    """At most ``starts`` job starts per ``period`` seconds."""

    starts: int
    period: int

    @property
    def interval(self) -> float:
        """Seconds between two starts at the steady pace.

        >>> RateLimit(5, 1).interval
        0.2
        """
        return self.period / self.starts

    def __str__(self) -> str:
        for unit, seconds in sorted(UNITS.items(), key=lambda item: -item[1]):
            if self.period % seconds == 0:
                count = self.period // seconds
                return '%d/%s%s' % (self.starts, count if count > 1 else '', unit)
        return '%d/%ds' % (self.starts, self.period)  # pragma: no cover (s divides all)


def parse_rate(text: str) -> RateLimit:
    """Parse ``N/unit`` or ``N/Kunit`` (unit s, m or h): N starts per K units."""
    match = _RATE.match(text or '')
    if not match:
        raise ChannelConfigError(
            "rate %r: write N/s, N/m or N/h (N starts per second, minute or hour), "
            "e.g. '5/s'" % (text,))
    starts, count, unit = match.group('starts'), match.group('count'), match.group('unit')
    if not starts.isdigit() or int(starts) < 1:
        raise ChannelConfigError(
            "rate %r: %r is not a whole number of starts from 1; write for example '5/s'"
            % (text, starts))
    if unit not in UNITS:
        raise ChannelConfigError(
            "rate %r: unknown unit %r; write N/s, N/m or N/h (N starts per second, "
            "minute or hour), e.g. '5/s' or '100/10m'" % (text, unit))
    if count and int(count) < 1:
        raise ChannelConfigError("rate %r: the period cannot be 0; write for example "
                                 "'%s/%s'" % (text, starts, unit))
    return RateLimit(int(starts), (int(count) if count else 1) * UNITS[unit])


def parse_burst(text: str) -> int:
    """Parse a burst: a whole number from 1 (how many jobs may start at once)."""
    if not (text or '').strip().isdigit() or int(text) < 1:
        raise ChannelConfigError(
            'burst %r: give a whole number from 1, the jobs that may start at once after '
            "a quiet spell, e.g. 'burst=10'" % (text,))
    return int(text)
