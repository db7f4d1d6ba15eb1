# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Transport failures become connector exceptions, in one place.

The broken answers are real: a local server sends canned bytes on a real socket,
and ``xmlrpc.client`` meets them as it would meet a backend dying mid-answer.
"""
import http.client
import re
import socket
import struct
import threading
import xml.parsers.expat
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


class ScriptedServer(object):
    """A real HTTP server on a local port that answers each request with canned bytes.

    ``answers`` holds one item per connection, in order: the raw bytes to
    send before closing, or ``RESET`` to close with a TCP reset instead.
    """

    RESET = object()

    def __init__(self, *answers):
        self.answers = list(answers)
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(5)
        self.url = 'http://127.0.0.1:%d/xmlrpc/2/object' % self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        for answer in self.answers:
            try:
                connection, _address = self.sock.accept()
            except OSError:  # closed by the test before every answer was asked for
                return
            with connection:
                self._read_request(connection)
                if answer is self.RESET:
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                          struct.pack('ii', 1, 0))
                else:
                    connection.sendall(answer)

    @staticmethod
    def _read_request(connection):
        data = b''
        while b'\r\n\r\n' not in data:
            data += connection.recv(4096)
        head, body = data.split(b'\r\n\r\n', 1)
        length = int(re.search(br'Content-Length: (\d+)', head, re.I).group(1))
        while len(body) < length:
            body += connection.recv(4096)

    def close(self):
        self.sock.close()
        self.thread.join(5)


def http_answer(body, status='200 OK', length=None):
    """Raw bytes of an HTTP answer announcing ``length`` bytes (default: the body's)."""
    return ('HTTP/1.0 %s\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n'
            % (status, len(body) if length is None else length)).encode() + body


XMLRPC_ANSWER = (b"<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
                 b"<value><array><data>\n<value><struct>\n<member>\n<name>name</name>\n"
                 b"<value><string>Agrolait \xc3\xa9t\xc3\xa9</string></value>\n</member>\n"
                 b"</struct></value>\n</data></array></value>\n</param>\n</params>\n"
                 b"</methodResponse>\n")


class TestBrokenAnswers(SyncCase):
    """What a backend dying in the middle of its answer really produces, and its outcome."""

    def setUp(self):
        super().setUp()
        self.adapter = self.unit(CRUDAdapter)

    def call(self, *answers):
        """One XML-RPC call to a server giving ``answers``; the connector exception raised."""
        server = ScriptedServer(*answers)
        self.addCleanup(server.close)
        proxy = xmlrpc.client.ServerProxy(server.url)
        with self.assertRaises(NetworkRetryableError) as caught:
            with self.adapter.handle_errors('read', external_id='42'):
                proxy.execute_kw('db', 1, 'pw', 'res.partner', 'read', [[42]])
        return caught.exception

    def assertFailure(self, error, cause_class, text, hint):
        self.assertIsInstance(error.__cause__, cause_class)
        message = str(error)
        self.assertIn("Backend 'Remote Shop' (test.sync.backend,%d): read of test.sync.partner "
                      "'42' failed: %s" % (self.backend.id, text), message)
        self.assertTrue(message.endswith('; %s; the job will be retried.' % hint), message)

    def test_headers_without_body_is_retryable(self):
        """Headers announcing a body, then the connection closed: an empty document."""
        error = self.call(http_answer(b'', length=len(XMLRPC_ANSWER)))
        self.assertFailure(error, xml.parsers.expat.ExpatError,
                           'ExpatError: no element found: line 1, column 0',
                           'the answer of the backend was empty or cut short (it may have '
                           'died while answering)')

    def test_body_cut_inside_a_tag_is_retryable(self):
        """Half of the body, cut inside a tag: an unclosed token."""
        cut = XMLRPC_ANSWER.index(b'<name>') + 3
        error = self.call(http_answer(XMLRPC_ANSWER[:cut], length=len(XMLRPC_ANSWER)))
        self.assertFailure(error, xml.parsers.expat.ExpatError, 'ExpatError: unclosed token',
                           'the answer of the backend was empty or cut short (it may have '
                           'died while answering)')

    def test_body_cut_between_tags_is_retryable(self):
        """A body cut between two elements: the document has no end."""
        cut = XMLRPC_ANSWER.index(b'</member>')
        error = self.call(http_answer(XMLRPC_ANSWER[:cut], length=len(XMLRPC_ANSWER)))
        self.assertFailure(error, xml.parsers.expat.ExpatError, 'ExpatError: no element found',
                           'the answer of the backend was empty or cut short (it may have '
                           'died while answering)')

    def test_body_cut_inside_a_character_is_retryable(self):
        """A body cut between the two bytes of an UTF-8 character."""
        cut = XMLRPC_ANSWER.index(b'\xc3\xa9') + 1
        error = self.call(http_answer(XMLRPC_ANSWER[:cut], length=len(XMLRPC_ANSWER)))
        self.assertFailure(error, xml.parsers.expat.ExpatError, 'ExpatError: partial character',
                           'the answer of the backend was empty or cut short (it may have '
                           'died while answering)')

    def test_chunked_body_cut_short_is_retryable(self):
        """A chunked answer whose chunk never ends: http.client's IncompleteRead."""
        head = (b'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n'
                b'Connection: close\r\n\r\n')
        error = self.call(head + b'%x\r\n' % len(XMLRPC_ANSWER) + XMLRPC_ANSWER[:40])
        self.assertFailure(error, http.client.IncompleteRead, 'IncompleteRead: IncompleteRead(',
                           'the answer of the backend was cut short')

    def test_connection_closed_before_the_status_line_is_retryable(self):
        """Closed without a byte of answer, twice (xmlrpc.client itself re-sends once)."""
        error = self.call(b'', b'')
        self.assertFailure(error, http.client.RemoteDisconnected,
                           'RemoteDisconnected: Remote end closed connection without response',
                           'the connection broke before the answer was complete (the backend '
                           'may have restarted)')

    def test_connection_reset_is_retryable(self):
        """A TCP reset instead of an answer, twice (xmlrpc.client itself re-sends once)."""
        error = self.call(ScriptedServer.RESET, ScriptedServer.RESET)
        self.assertFailure(error, ConnectionResetError,
                           'ConnectionResetError: [Errno 104] Connection reset by peer',
                           'the connection broke before the answer was complete (the backend '
                           'may have restarted)')

    def test_broken_pipe_is_retryable(self):
        """Sending on a connection the peer has closed: a real EPIPE."""
        ours, theirs = socket.socketpair()
        self.addCleanup(ours.close)
        theirs.close()
        with self.assertRaises(NetworkRetryableError) as caught:
            with self.adapter.handle_errors('write', external_id='42'):
                ours.sendall(b'<methodCall/>')
        self.assertIsInstance(caught.exception.__cause__, BrokenPipeError)
        self.assertIn("write of test.sync.partner '42' failed: BrokenPipeError: [Errno 32] "
                      "Broken pipe; the connection broke", str(caught.exception))

    def test_complete_but_malformed_answer_is_not_retried(self):
        """A whole HTML page instead of XML (a wrong URL): retrying would not help."""
        server = ScriptedServer(http_answer(b'<html><body><p>Welcome<br></body></html>'))
        self.addCleanup(server.close)
        proxy = xmlrpc.client.ServerProxy(server.url)
        with self.assertRaises(xml.parsers.expat.ExpatError) as caught:
            with self.adapter.handle_errors('read'):
                proxy.execute_kw('db', 1, 'pw', 'res.partner', 'read', [[42]])
        self.assertIn('mismatched tag', str(caught.exception))
