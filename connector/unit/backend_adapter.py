# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Backend adapters: the only units that talk to the external system.

An adapter hides the transport (XML-RPC, REST, files) behind a small CRUD
interface, so that importers and exporters never deal with it. Its
failures are translated in one place, ``handle_errors``, following the
table ``_error_rules``: a timeout or a refused connection becomes a
``NetworkRetryableError`` (the job is retried later), a rejected login a
``BackendConfigurationError`` (a person must fix the backend), and so on.
"""
import http.client
import socket
from contextlib import contextmanager

from ..connector_unit import ConnectorUnit
from ..exception import ConnectorException, NetworkRetryableError


class ErrorRule(object):
    """Translate transport exceptions of some classes into a connector exception.

    :param catches: an exception class or a tuple of them
    :param raises: the connector exception class to raise instead
    :param hint: what to tell the person reading the message
    :param when: optional predicate on the caught exception, for rules that
        depend on its content (an HTTP status, a fault code)
    """

    def __init__(self, catches, raises, hint, when=None):
        self.catches = catches
        self.raises = raises
        self.hint = hint
        self.when = when

    def matches(self, error):
        return isinstance(error, self.catches) and (self.when is None or self.when(error))


NETWORK_ERROR_RULES = (
    ErrorRule(socket.timeout, NetworkRetryableError,
              'the backend did not answer in time; the job will be retried'),
    ErrorRule((ConnectionError, http.client.RemoteDisconnected, socket.gaierror),
              NetworkRetryableError,
              'the backend could not be reached; the job will be retried'),
)


class BackendAdapter(ConnectorUnit):
    """Base class of the adapters: one per model of the external system."""

    _model_name = None
    _error_rules = NETWORK_ERROR_RULES
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
            raise rule.raises(self._describe_failure(operation, external_id, error, rule.hint)
                              ) from error

    def _describe_failure(self, operation, external_id, error, hint):
        backend = self.backend_record
        target = self.connector_env.model_name
        if external_id is not None:
            target = '%s %r' % (target, external_id)
        message = 'Backend %r (%s,%s): %s of %s failed: %s: %s; %s.' % (
            backend.display_name, backend._name, backend.id, operation, target,
            type(error).__name__, error, hint)
        for secret in self._secrets():
            if secret:
                message = message.replace(secret, '********')
        return message

    def _secrets(self):
        """Strings never to show in an error message. Override to add the backend's."""
        return []


class CRUDAdapter(BackendAdapter):
    """Adapter with the usual operations on the records of one external model.

    Override each method a synchronizer needs; the others say they are
    missing when called.
    """

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
