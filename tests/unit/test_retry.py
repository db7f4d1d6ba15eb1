# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Retry patterns: how long a failed job waits before it runs again, and when it gives up."""
import pytest

from odoo.addons.connector.queue.retry import check_retry_pattern, retries_exhausted, retry_delay


def test_pattern_gives_the_delay_of_the_last_threshold_reached():
    """{1: 10, 5: 60, 10: 600}: 10 s for tries 1-4, 60 s for 5-9, 600 s from 10."""
    pattern = check_retry_pattern({1: 10, 5: 60, 10: 600})
    assert [retry_delay(n, pattern) for n in (1, 4, 5, 9, 10, 99)] == [10, 10, 60, 60, 600, 600]


def test_pattern_starting_later_uses_its_first_delay():
    """Tries before the first threshold wait the first delay."""
    assert retry_delay(1, {3: 30}) == 30


def test_default_backoff_doubles_from_ten_seconds_up_to_an_hour():
    """Without a pattern: 10, 20, 40... seconds, never more than 3600."""
    assert [retry_delay(n) for n in (1, 2, 3, 4, 9, 10, 100)] == [
        10, 20, 40, 80, 2560, 3600, 3600]
    assert retry_delay(0) == 10


def test_seconds_asked_by_the_exception_win_over_the_pattern():
    """RetryableJobError(seconds=...) decides; a negative delay is no delay."""
    assert retry_delay(3, {1: 10}, seconds=2) == 2
    assert retry_delay(3, None, seconds=-5) == 0


def test_checked_pattern_is_a_copy_with_the_same_entries():
    """A valid pattern comes back unchanged; None means no pattern."""
    assert check_retry_pattern({1: 10, 5: 0}) == {1: 10, 5: 0}
    assert check_retry_pattern(None) == {}


@pytest.mark.parametrize('bad', [{0: 10}, {1: -1}, {'1': 10}, {1: 1.5}, {True: 10}, {1: None}])
def test_bad_pattern_entry_is_refused_naming_it(bad):
    """Keys are try counts from 1, values whole seconds from 0: the message says so."""
    count, seconds = next(iter(bad.items()))
    with pytest.raises(ValueError) as caught:
        check_retry_pattern(bad)
    assert str(caught.value) == (
        'retry pattern %r: entry %r: %r is wrong; keys are try counts (whole numbers from 1) '
        'and values delays in whole seconds (from 0)' % (bad, count, seconds))


def test_pattern_that_is_not_a_dict_is_refused():
    """A list is not a pattern: the message shows the form to write."""
    with pytest.raises(ValueError) as caught:
        check_retry_pattern([1, 2])
    assert str(caught.value) == (
        'retry pattern [1, 2]: give a dict {try count: seconds}, e.g. {1: 10, 5: 60}')


def test_max_retries_zero_means_no_limit():
    """A job gives up once it has been tried max_retries times, never with 0."""
    assert retries_exhausted(3, 3)
    assert retries_exhausted(4, 3)
    assert not retries_exhausted(2, 3)
    assert not retries_exhausted(1000, 0)
