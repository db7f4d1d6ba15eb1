# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Backend adapters: the only units that talk to the external system.

An adapter hides the transport (XML-RPC, REST, files) behind a small CRUD
interface, so that importers and exporters never deal with it. Its
failures are translated in one place, ``handle_errors``, following the
table ``_error_rules``: a timeout or a refused connection becomes a
``NetworkRetryableError`` (the job is retried later, at most its
``max_retries`` times, then it fails for a person to requeue), a rejected
login a ``BackendConfigurationError`` (a person must fix the backend), and
so on.

The framework's generic rules, which every adapter inherits:

=================================================  ============================
transport exception                                outcome
=================================================  ============================
``socket.timeout``                                 retried: no answer in time
``ConnectionResetError``, ``BrokenPipeError``,     retried: the connection broke
``ConnectionAbortedError``,                        before the answer was
``http.client.RemoteDisconnected``                 complete
other ``ConnectionError`` (refused),               retried: the backend could
``socket.gaierror``                                not be reached
``http.client.IncompleteRead``                     retried: answer cut short
``xml.parsers.expat.ExpatError`` of a truncated    retried: answer cut short
document (no element found, unclosed token,        (empty or truncated XML)
partial character, unclosed CDATA section)
anything else (e.g. a complete but malformed       passes through unchanged:
document)                                          the job fails
=================================================  ============================

The last two rows (``TRUNCATED_ANSWER_RULES``) are what a backend that
dies while answering produces: headers then nothing, or part of the body.
A connector adds the rules of its own protocol (HTTP statuses, the faults
its server reports) after these: see ``connector_example/units/adapter.py``.
A backend that asks us to slow down ("429 Too Many Requests", "503" with
``Retry-After``) is best told apart, before these rules: a rule raising
``RemoteThrottled`` with ``seconds=retry_after`` pauses the job's channel
on every worker for the time the backend asked.
"""
import email.utils
import http.client
import socket
import time
from contextlib import contextmanager
from xml.parsers import expat

from ..connector_unit import ConnectorUnit
from ..exception import ConnectorException, NetworkRetryableError


class ErrorRule(object):
    """Translate transport exceptions of some classes into a connector exception.

    :param catches: an exception class or a tuple of them
    :param raises: the connector exception class to raise instead
    :param hint: what to tell the person reading the message
    :param when: optional predicate on the caught exception, for rules that
        depend on its content (an HTTP status, a fault code)
    :param seconds: optional function of the caught exception giving the
        ``seconds`` of the raised ``RetryableJobError`` (e.g. ``retry_after``)
    """

    def __init__(self, catches, raises, hint, when=None, seconds=None):
        self.catches = catches
        self.raises = raises
        self.hint = hint
        self.when = when
        self.seconds = seconds

    def matches(self, error):
        return isinstance(error, self.catches) and (self.when is None or self.when(error))


NETWORK_ERROR_RULES = (
    ErrorRule(socket.timeout, NetworkRetryableError,
              'the backend did not answer in time; the job will be retried'),
    # RemoteDisconnected is a ConnectionResetError: the backend closed the
    # connection before sending a status line (it crashed or restarted).
    ErrorRule((ConnectionResetError, ConnectionAbortedError, BrokenPipeError),
              NetworkRetryableError,
              'the connection broke before the answer was complete (the backend may have '
              'restarted); the job will be retried'),
    ErrorRule((ConnectionError, socket.gaierror), NetworkRetryableError,
              'the backend could not be reached; the job will be retried'),
)
"""Socket-level failures, whatever the protocol: all retried."""

_TRUNCATED_XML_ERRORS = frozenset(
    expat.errors.codes[message] for message in (
        expat.errors.XML_ERROR_NO_ELEMENTS,  # empty answer
        expat.errors.XML_ERROR_UNCLOSED_TOKEN,
        expat.errors.XML_ERROR_PARTIAL_CHAR,
        expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    ))


#: The longest pause a ``Retry-After`` may ask for; beyond, an hour (a remote
#: asking for a day of silence is more likely misconfigured than meant).
MAX_RETRY_AFTER = 3600


def retry_after(error, default=5):
    """Seconds a throttling answer asks us to wait: its ``Retry-After`` header
    (seconds, or an HTTP date), else ``default``; at most ``MAX_RETRY_AFTER``.

    ``error`` is an exception with the answer's ``headers`` (``xmlrpc.client.
    ProtocolError``, ``urllib.error.HTTPError``) or without (a refused
    connection): then ``default``.

    >>> import xmlrpc.client
    >>> retry_after(xmlrpc.client.ProtocolError('shop/api', 429, 'Too Many Requests',
    ...                                         {'Retry-After': '3'}))
    3.0
    >>> retry_after(ConnectionRefusedError())
    5
    """
    headers = getattr(error, 'headers', None)
    value = headers.get('Retry-After') if headers is not None else None
    if not value:
        return default
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return default
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _is_truncated_xml(error):
    """True when the parser stopped because the document ended too soon."""
    return error.code in _TRUNCATED_XML_ERRORS


TRUNCATED_ANSWER_RULES = (
    ErrorRule(http.client.IncompleteRead, NetworkRetryableError,
              'the answer of the backend was cut short; the job will be retried'),
    ErrorRule(expat.ExpatError, NetworkRetryableError,
              'the answer of the backend was empty or cut short (it may have died while '
              'answering); the job will be retried', when=_is_truncated_xml),
)
"""Answers cut short by a backend dying mid-response (HTTP and XML transports).

A complete document that does not parse (an HTML page at the wrong URL)
matches no rule: retrying would not help.
"""


class BackendAdapter(ConnectorUnit):
    """Base class of the adapters: one per model of the external system."""

    _model_name = None
    _error_rules = NETWORK_ERROR_RULES + TRUNCATED_ANSWER_RULES
    """Rules tried in order by ``handle_errors``; extend with ``Parent._error_rules + (...)``."""

    @contextmanager
    def handle_errors(self, operation, external_id=None):
        """Translate transport failures raised in the block, following ``_error_rules``.

        Exceptions that no rule matches, and connector exceptions, pass
        through unchanged. Secrets (see ``_secrets``) are masked in messages.
        """
        try:
            yield
        except ConnectorException:
            raise
        except Exception as error:
            rule = next((rule for rule in self._error_rules if rule.matches(error)), None)
            if rule is None:
                raise
            message = self._describe_failure(operation, external_id, error, rule.hint)
            if rule.seconds is not None:
                raise rule.raises(message, seconds=rule.seconds(error)) from error
            raise rule.raises(message) from error

    def _describe_failure(self, operation, external_id, error, hint):
        backend = self.backend_record
        target = self.connector_env.model_name
        if external_id is not None:
            target = '%s %r' % (target, external_id)
        message = 'Backend %r (%s,%s): %s of %s failed: %s; %s.' % (
            backend.display_name, backend._name, backend.id, operation, target,
            self._describe_error(error), hint)
        for secret in self._secrets():
            if secret:
                message = message.replace(secret, '********')
        return message

    def _describe_error(self, error):
        """The caught exception as the message shows it: its class and text.

        Override to shorten an error that carries more than a person needs
        (e.g. a remote traceback): the original stays the ``__cause__``.
        """
        return '%s: %s' % (type(error).__name__, error)

    def _secrets(self):
        """Strings never to show in an error message. Override to add the backend's."""
        return []


class CRUDAdapter(BackendAdapter):
    """Adapter with the usual operations on the records of one external model.

    Override each method a synchronizer needs; the others say they are
    missing when called.
    """

    # read/create/write are the external system's operations, not Odoo model
    # methods: they call no super() (pylint-odoo expects one in a model's).
    # pylint: disable=method-required-super

    def search(self, filters=None):
        """External ids of the records matching ``filters``."""
        raise self._not_implemented('search')

    def read(self, external_id, attributes=None):
        """The external record as a dict.

        :raise IDMissingInBackend: when it does not exist
        """
        raise self._not_implemented('read')

    def search_read(self, filters=None):
        """The external records matching ``filters``, as dicts."""
        raise self._not_implemented('search_read')

    def create(self, data):
        """Create a record from ``data``; returns its external id."""
        raise self._not_implemented('create')

    def write(self, external_id, data):
        """Update a record with ``data``."""
        raise self._not_implemented('write')

    def delete(self, external_id):
        """Delete a record."""
        raise self._not_implemented('delete')

    def _not_implemented(self, method):
        return NotImplementedError(
            '%s does not implement %s(): override it to %s records of %s on %s.' % (
                type(self).__name__, method, method, self.connector_env.model_name,
                self.backend))
