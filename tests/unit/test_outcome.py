# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The exception-to-outcome table: what the runner does with a job that raised."""
from types import SimpleNamespace

import psycopg2.extensions
import pytest

from odoo.addons.connector.exception import (FailedJobError, NetworkRetryableError, NothingToDoJob,
                                             RemoteThrottled, RemoteUnavailable, RetryableJobError)
from odoo.addons.connector.queue.outcome import Outcome, classify


def job(tries=1, max_retries=5, retry_pattern=None):
    """A loaded job as classify() reads it: this try's count, its limits."""
    return SimpleNamespace(retry=tries, max_retries=max_retries, retry_pattern=retry_pattern)


def raised(err):
    """``err`` with a traceback, as the runner catches it."""
    try:
        raise err
    except Exception as caught:
        return caught


def test_nothing_to_do_ends_done_with_its_message():
    """NothingToDoJob is a success: its message is the result."""
    assert classify(job(), raised(NothingToDoJob('partner C-17 already up to date'))) == \
        Outcome('done', 'partner C-17 already up to date')


def test_retryable_error_is_pending_again_after_the_backoff():
    """A RetryableJobError puts the job back, to wait as the retry pattern says."""
    assert classify(job(tries=3), raised(RetryableJobError('remote busy'))) == \
        Outcome('pending', 'remote busy', 40, 0)
    assert classify(job(tries=3, retry_pattern={1: 5, 3: 90}),
                    raised(NetworkRetryableError('timeout'))) == \
        Outcome('pending', 'timeout', 90, 0)


def test_throttled_pauses_the_channel_and_waits_the_time_asked_uncounted():
    """RemoteThrottled: back after its seconds, the try not counted, even past
    max_retries, and the channel paused as long."""
    assert classify(job(tries=5, max_retries=5), raised(RemoteThrottled('429', seconds=3))) == \
        Outcome('pending', '429', 3, -1, 3)


def test_unavailable_pauses_the_channel_and_retries_as_a_network_error():
    """RemoteUnavailable: the channel pauses 5 s; the job follows its retry pattern, the
    try counted, and fails once out of tries."""
    assert classify(job(tries=3, retry_pattern={1: 5, 3: 90}),
                    raised(RemoteUnavailable('refused'))) == \
        Outcome('pending', 'refused', 90, 0, 5)
    assert classify(job(tries=5, max_retries=5), raised(RemoteUnavailable('refused'))).state \
        == 'failed'


def test_retryable_error_seconds_win():
    """The error's own delay wins over the pattern."""
    assert classify(job(retry_pattern={1: 60}), raised(RetryableJobError('later', seconds=7))) \
        == Outcome('pending', 'later', 7, 0)


def test_ignore_retry_does_not_count_the_try_even_at_the_limit():
    """ignore_retry: the try is given back (retry_delta -1) and the job never gives up."""
    outcome = classify(job(tries=5, max_retries=5),
                       raised(RetryableJobError('locked', seconds=1, ignore_retry=True)))
    assert outcome == Outcome('pending', 'locked', 1, -1)


def test_retryable_error_fails_once_max_retries_are_used_up():
    """The last allowed try fails the job, saying why and what to do."""
    outcome = classify(job(tries=5, max_retries=5), raised(RetryableJobError('remote busy')))
    assert outcome.state == 'failed'
    assert outcome.message.startswith(
        'remote busy\n\nGave up after 5 tries (max_retries 5): fix the cause, then requeue '
        'the job.\n\nTraceback (most recent call last):\n')
    assert outcome.message.endswith('RetryableJobError: remote busy\n')


def test_max_retries_zero_retries_forever():
    """max_retries 0 means no limit."""
    assert classify(job(tries=500, max_retries=0), raised(RetryableJobError('x'))).state == \
        'pending'


def test_serialization_failure_is_retried():
    """A transaction that lost to a concurrent one is tried again."""
    err = raised(psycopg2.extensions.TransactionRollbackError('could not serialize access'))
    assert classify(job(tries=1), err) == Outcome('pending', 'could not serialize access', 10, 0)


@pytest.mark.parametrize('err', [FailedJobError('bad data'), KeyError('name'),
                                 ValueError('invalid literal')])
def test_other_errors_fail_with_the_traceback(err):
    """Anything else fails the job at once, keeping the traceback for a person to read."""
    outcome = classify(job(tries=1), raised(err))
    assert outcome.state == 'failed'
    assert outcome.message.startswith('Traceback (most recent call last):\n')
    assert outcome.message.endswith('%s: %s\n' % (type(err).__name__, err))
    assert (outcome.seconds, outcome.retry_delta) == (0, 0)
