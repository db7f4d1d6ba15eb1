# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Transport failures become connector exceptions, in one place."""
import socket
import xmlrpc.client

from odoo.addons.connector.exception import NetworkRetryableError
from odoo.addons.connector.unit.backend_adapter import CRUDAdapter

from .common import SyncCase


def closed_port():
    """A local port nobody listens on (bound, then released)."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class TestErrorTranslation(SyncCase):

    def setUp(self):
        super().setUp()
        self.adapter = self.unit(CRUDAdapter)

    def test_refused_connection_is_retryable(self):
        """A real refused connection becomes NetworkRetryableError naming the backend."""
        proxy = xmlrpc.client.ServerProxy('http://127.0.0.1:%d/xmlrpc/2/object' % closed_port())
        with self.assertRaises(NetworkRetryableError) as caught:
            with self.adapter.handle_errors('read', external_id='42'):
                proxy.execute_kw('db', 1, 'pw', 'res.partner', 'read', [[42]])
        message = str(caught.exception)
        self.assertIn("Backend 'Remote Shop' (test.sync.backend,%d): read of test.sync.partner "
                      "'42' failed: ConnectionRefusedError" % self.backend.id, message)
        self.assertIn('the backend could not be reached; the job will be retried', message)
        self.assertIsInstance(caught.exception.__cause__, ConnectionRefusedError)

    def test_timeout_is_retryable(self):
        """A real server that never answers ends in a retryable timeout."""
        server = socket.socket()
        server.bind(('127.0.0.1', 0))
        server.listen(1)
        self.addCleanup(server.close)
        client = socket.create_connection(server.getsockname(), timeout=0.2)
        self.addCleanup(client.close)
        with self.assertRaises(NetworkRetryableError) as caught:
            with self.adapter.handle_errors('search'):
                client.recv(10)
        self.assertIn('search of test.sync.partner failed: timeout', str(caught.exception))
        self.assertIn('did not answer in time', str(caught.exception))

    def test_unknown_errors_pass_through(self):
        """An error no rule knows is not disguised."""
        with self.assertRaises(KeyError):
            with self.adapter.handle_errors('read'):
                {}['name']

    def test_secrets_are_masked(self):
        """A secret returned by _secrets() never appears in the message."""
        class SecretAdapter(CRUDAdapter):
            _model_name = 'test.sync.partner'

            def _secrets(self):
                return ['s3cr3t']
        adapter = SecretAdapter(self.adapter.connector_env)
        with self.assertRaises(NetworkRetryableError) as caught:
            with adapter.handle_errors('read'):
                raise ConnectionResetError('reset by http://admin:s3cr3t@shop.example')
        self.assertNotIn('s3cr3t', str(caught.exception))
        self.assertIn('http://admin:********@shop.example', str(caught.exception))

    def test_missing_operation_says_what_to_override(self):
        """Calling an operation the adapter lacks names the adapter and the method."""
        bare = CRUDAdapter(self.adapter.connector_env)
        with self.assertRaises(NotImplementedError) as caught:
            bare.create({'name': 'x'})
        self.assertEqual(str(caught.exception),
                         "CRUDAdapter does not implement create(): override it to create records "
                         "of test.sync.partner on Backend('test_sync', '1.0').")
