# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Exceptions of the connector framework.

The class of an exception tells the job runner what to do with a failed
job: a ``RetryableJobError`` postpones the job and tries again later, a
``NothingToDoJob`` ends it as done, anything else fails the job and keeps
the message (and traceback) for a person to read. Messages name the
backend, the model, the record or external id, and the next step.
"""


class ConnectorException(Exception):
    """Base class of every exception raised by the connector."""


# -- Misuse of the framework ----------------------------------------------

class NoConnectorUnitError(ConnectorException):
    """No ConnectorUnit matches the backend, the model and the unit class."""


class ManyConnectorUnitError(ConnectorException):
    """Several ConnectorUnit classes match; the lookup cannot choose."""


class NoModelNameError(ConnectorException, NotImplementedError):
    """A ConnectorUnit class is used for lookups but has no ``_model_name``.

    Also a ``NotImplementedError``, the exception the classic API raised.
    """


class BackendNotFound(ConnectorException, LookupError):
    """No ``Backend`` is registered for a service and version."""


class BindingError(ConnectorException):
    """A Binder was given something it cannot bind or look up."""


class BackendConfigurationError(ConnectorException):
    """The backend record is misconfigured (URL, credentials): a person must fix it."""


# -- Data exchanged with the backend ---------------------------------------

class InvalidDataError(ConnectorException):
    """Data is invalid: missing, malformed or inconsistent."""


class MappingError(ConnectorException):
    """An error occurred while mapping a record."""


class IDMissingInBackend(ConnectorException):
    """The external id does not exist (any more) in the backend."""


class ManyIDSInBackend(ConnectorException):
    """Several records of the backend answer to one external id."""


# -- Jobs -------------------------------------------------------------------

class JobError(ConnectorException):
    """A job had an error."""


class NoSuchJobError(JobError):
    """The job does not exist."""


class FailedJobError(JobError):
    """The job failed: it will not be retried without a person's action."""


class JobArgumentError(JobError, TypeError):
    """A job argument cannot be stored, or a stored one cannot be read back."""


class RetryableJobError(JobError):
    """The job failed for a temporary reason: run it again later.

    :param msg: what happened, stored on the job
    :param seconds: how long to wait before the next try; the retry
        pattern of the job decides when ``None``
    :param ignore_retry: when True, retry without counting this try
        against ``max_retries``
    """

    def __init__(self, msg, seconds=None, ignore_retry=False):
        super().__init__(msg)
        self.seconds = seconds
        self.ignore_retry = ignore_retry


class NetworkRetryableError(RetryableJobError):
    """A network error (timeout, refused connection): retry later."""


class RemoteThrottled(RetryableJobError):
    """The remote asks us to slow down for ``seconds``: backpressure.

    The job is tried again after ``seconds`` (the try is not counted
    against ``max_retries``: the remote refused it, it did not fail), and
    no job of its channel -- and subchannels -- starts on any worker until
    then: the channel is paused (``paused_until``, shown in Queue >
    Channels) and resumes by itself. Raise it where the remote answers
    "429 Too Many Requests" or "503" with ``Retry-After``::

        raise RemoteThrottled('Shop "EU" answered 429 to GET /orders', seconds=30)

    Give each external account its own channel (a backend's channel) so
    that one throttled account does not pause the others.
    """

    def __init__(self, msg, seconds=5):
        super().__init__(msg, seconds=seconds, ignore_retry=True)
        #: Seconds for which the job's channel is paused on every worker.
        self.pause = seconds


class RemoteUnavailable(RemoteThrottled, NetworkRetryableError):
    """The remote refuses connections (overloaded, or down): its channel pauses
    ``seconds``, but the job is retried as any network error is (its retry
    pattern, tries counted), so that a remote that stays down fails the job
    after its ``max_retries`` tries instead of postponing it for ever."""

    def __init__(self, msg, seconds=5):  # pylint: disable=super-init-not-called
        # retried as a RetryableJobError: by the job's retry pattern, tries counted
        RetryableJobError.__init__(self, msg)
        self.pause = seconds


class NothingToDoJob(JobError):
    """The job has nothing to do: it ends as done with this message."""


class ChannelNotFound(ConnectorException):
    """A job channel is not defined."""


class ChannelConfigError(ConnectorException, ValueError):
    """A channel name or a channel configuration cannot be used."""
