# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rate-limit rule (GCRA) that the claim applies, played in Python."""
import pytest

from odoo.addons.connector.queue.rate_limits import RateLimit, allowed_at, parse_rate, spend


def starts(limit, burst, attempts):
    """The attempt times (seconds) at which a job may start, attempts in order."""
    next_start, started = 0.0, []
    for now in attempts:
        if allowed_at(next_start, now, limit, burst):
            next_start = spend(next_start, now, limit)
            started.append(now)
    return started


def test_without_burst_starts_are_evenly_spaced():
    """5/s, asked every 10 ms for 2 s: one start every 0.2 s, 10 in all."""
    started = starts(RateLimit(5, 1), 1, [i / 100 for i in range(200)])
    assert len(started) == 10
    assert all(abs((b - a) - 0.2) < 1e-6 for a, b in zip(started, started[1:]))


def test_a_burst_starts_at_once_then_the_pace_holds():
    """5/s with a burst of 4: 4 starts at t=0, then one per 0.2 s."""
    started = starts(RateLimit(5, 1), 4, [0.0] * 5 + [i / 100 for i in range(1, 101)])
    assert started[:4] == [0.0] * 4
    assert len(started) == 4 + 5  # the 0.2 s pace takes over: t = 0.2 ... 1.0


@pytest.mark.parametrize('burst', [1, 3, 10])
def test_no_one_second_window_holds_more_than_the_limit_plus_the_burst(burst):
    """Asked every millisecond for 10 s, any 1 s window holds at most limit + burst starts."""
    limit = RateLimit(20, 1)
    started = starts(limit, burst, [i / 1000 for i in range(10000)])
    for first in started:
        in_window = [t for t in started if first <= t < first + 1.0]
        assert len(in_window) <= limit.starts + burst
    assert 20 * 10 - 1 <= len(started) <= 20 * 10 + burst


def test_rates_print_back_as_written():
    """A parsed rate prints in the shortest unit that divides its period."""
    assert [str(parse_rate(text)) for text in ('5/s', '90/m', '100/10m', '2/h', '3/90s')] == [
        '5/s', '90/m', '100/10m', '2/h', '3/90s']
