# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""RESTAdapter against a real local HTTP server that answers as scripted.

Each test queues the answers (status, headers, body bytes) the server
gives, in order, and reads back the requests it received (method, path,
query, headers, body). The adapter runs for real: ``requests``, sockets,
JSON, timeouts.
"""
import base64
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from odoo.addons.connector.exception import (BackendConfigurationError, IDMissingInBackend,
                                             InvalidDataError, NetworkRetryableError,
                                             RemoteThrottled, RemoteUnavailable)
from odoo.addons.connector.unit.rest_adapter import RESTAdapter

from .common import TestBackendCase

PASSWORD = 's3cret-pw'


class ScriptedHandler(BaseHTTPRequestHandler):
    """Answers each request with the next scripted answer; records the request."""

    protocol_version = 'HTTP/1.1'

    def _answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        split = urlsplit(self.path)
        self.server.received.append({
            'method': self.command, 'path': split.path, 'query': parse_qs(split.query),
            'headers': dict(self.headers), 'body': body})
        answer = self.server.answers.pop(0)
        if answer == 'hang':
            self.server.release.wait(30)
            return
        status, headers, payload = answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if 'Content-Length' not in headers:
            self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        if 'Content-Length' in headers:  # a body cut short: close the connection
            self.close_connection = True

    do_GET = do_POST = do_PATCH = do_DELETE = _answer

    def log_message(self, *args):
        pass


def json_answer(value, status=200, headers=None):
    return (status, dict({'Content-Type': 'application/json'}, **(headers or {})),
            json.dumps(value).encode())


class ProductAdapter(RESTAdapter):
    """A REST adapter on the scripted server (not registered: built by the tests)."""

    _model_name = 'test.res.partner'
    _path = 'admin/products/'

    def _rest_settings(self):
        return {'url': self.url, 'auth': ('staff', PASSWORD), 'timeout': self.timeout}


class TestRESTAdapter(TestBackendCase):

    def setUp(self):
        super().setUp()
        self.server = ThreadingHTTPServer(('127.0.0.1', 0), ScriptedHandler)
        self.server.answers, self.server.received = [], []
        self.server.release = threading.Event()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.addCleanup(self._stop_server)
        self.url = 'http://127.0.0.1:%d/api' % self.server.server_address[1]

    def _stop_server(self):
        self.server.release.set()
        self.server.shutdown()
        self.server.server_close()

    def adapter(self, url=None, timeout=10):
        adapter = ProductAdapter(self.connector_env(self.backend_v1))
        adapter.url, adapter.timeout = url or self.url, timeout
        return adapter

    def script(self, *answers):
        self.server.answers.extend(answers)

    def test_read_gets_the_record_with_basic_auth(self):
        """read() is a GET of the record's URL, authenticated, decoded from JSON."""
        self.script(json_answer({'id': 17, 'title': 'Mug'}))
        self.assertEqual(self.adapter().read('17'), {'id': 17, 'title': 'Mug'})
        request = self.server.received[0]
        self.assertEqual((request['method'], request['path']), ('GET', '/api/admin/products/17/'))
        expected = 'Basic ' + base64.b64encode(('staff:%s' % PASSWORD).encode()).decode()
        self.assertEqual(request['headers']['Authorization'], expected)

    def test_create_posts_json_and_returns_the_id_as_text(self):
        self.script(json_answer({'id': 42, 'title': 'Mug'}, status=201))
        self.assertEqual(self.adapter().create({'title': 'Mug', 'upc': 'MUG-1'}), '42')
        request = self.server.received[0]
        self.assertEqual((request['method'], request['path']), ('POST', '/api/admin/products/'))
        self.assertEqual(json.loads(request['body']), {'title': 'Mug', 'upc': 'MUG-1'})
        self.assertEqual(request['headers']['Content-Type'], 'application/json')

    def test_write_patches_and_delete_deletes(self):
        self.script(json_answer({'id': 42}), (204, {}, b''))
        adapter = self.adapter()
        adapter.write('42', {'title': 'Big mug'})
        adapter.delete('42')
        self.assertEqual([(r['method'], r['path']) for r in self.server.received],
                         [('PATCH', '/api/admin/products/42/'),
                          ('DELETE', '/api/admin/products/42/')])

    def test_search_follows_the_pages_on_our_own_root(self):
        """Pages are followed through ``next``, whose host (the API's own name for
        itself, e.g. behind a proxy) is replaced by the backend's."""
        self.script(
            json_answer({'count': 3, 'next': 'http://shop.internal:8000/api/admin/products/'
                                             '?page=2&status=open',
                         'results': [{'id': 1}, {'id': 2}]}),
            json_answer({'count': 3, 'next': None, 'results': [{'id': 3}]}))
        self.assertEqual(self.adapter().search({'status': 'open'}), ['1', '2', '3'])
        first, second = self.server.received
        self.assertEqual(first['query'], {'status': ['open']})
        self.assertEqual((second['path'], second['query']),
                         ('/api/admin/products/', {'page': ['2'], 'status': ['open']}))

    def test_a_plain_list_is_one_page(self):
        self.script(json_answer([{'id': 5}]))
        self.assertEqual(self.adapter().search_read(), [{'id': 5}])

    def test_bad_request_quotes_the_field_errors(self):
        """400: InvalidDataError naming backend, operation, model and the API's words."""
        self.script(json_answer({'upc': ['product with this upc already exists.'],
                                 'title': ['This field may not be blank.']}, status=400))
        with self.assertRaises(InvalidDataError) as caught:
            self.adapter().create({'upc': 'MUG-1', 'title': ''})
        self.assertEqual(str(caught.exception), (
            "Backend 'Shop One' (test.backend,%d): POST /api/admin/products/ of "
            "test.res.partner failed: HTTP 400 Bad Request on POST /api/admin/products/: "
            "upc: product with this upc already exists.; title: This field may not be "
            "blank.; the API refused the data: fix the record (in Odoo for an export, on "
            "the remote for an import), then requeue the job." % self.backend_v1.id))

    def test_unauthorized_is_a_configuration_error_without_the_password(self):
        self.script(json_answer({'detail': 'Invalid password %s.' % PASSWORD}, status=401))
        with self.assertRaises(BackendConfigurationError) as caught:
            self.adapter().read('17')
        message = str(caught.exception)
        self.assertNotIn(PASSWORD, message)
        self.assertIn("GET /api/admin/products/17/ of test.res.partner '17' failed: HTTP 401 "
                      "Unauthorized on GET /api/admin/products/17/: detail: Invalid password "
                      "********.; check the credentials", message)

    def test_forbidden_is_a_configuration_error(self):
        self.script(json_answer({'detail': 'You do not have permission.'}, status=403))
        with self.assertRaises(BackendConfigurationError):
            self.adapter().read('17')

    def test_not_found_is_id_missing(self):
        self.script(json_answer({'detail': 'Not found.'}, status=404))
        with self.assertRaises(IDMissingInBackend) as caught:
            self.adapter().read('99')
        self.assertIn("test.res.partner '99' failed: HTTP 404 Not Found", str(caught.exception))

    def test_server_errors_are_retried(self):
        for status in (500, 502, 504, 408):
            self.script((status, {'Content-Type': 'text/html'}, b'<h1>Server Error</h1>'))
            with self.assertRaises(NetworkRetryableError) as caught:
                self.adapter().read('17')
            self.assertNotIsInstance(caught.exception, RemoteThrottled)
            self.assertIn('HTTP %d' % status, str(caught.exception))

    def test_an_error_page_is_quoted_on_one_line_by_its_title(self):
        """A server's HTML error page shows as its title and text on one line (a
        worker logs a message's last line: the raw page showed only '</html>')."""
        page = (b'<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)'
                b'</title>\n<style>h1 { color: red; }</style>\n</head>\n<body>\n'
                b'  <h1>Server Error &amp; more</h1>\n</body>\n</html>\n')
        self.script((500, {'Content-Type': 'text/html'}, page))
        with self.assertRaises(NetworkRetryableError) as caught:
            self.adapter().read('17')
        message = str(caught.exception)
        self.assertNotIn('\n', message)
        self.assertNotIn('<', message)
        self.assertIn("test.res.partner '17' failed: HTTP 500 Internal Server Error on GET "
                      "/api/admin/products/17/: a web page: Server Error (500): "
                      "Server Error & more;", message)

    def test_too_many_requests_throttles_for_the_time_asked(self):
        self.script(json_answer({'detail': 'slow down'}, status=429, headers={'Retry-After': '7'}))
        with self.assertRaises(RemoteThrottled) as caught:
            self.adapter().read('17')
        self.assertEqual(caught.exception.seconds, 7.0)

    def test_unavailable_with_retry_after_throttles(self):
        self.script((503, {'Retry-After': '3'}, b'busy'))
        with self.assertRaises(RemoteThrottled) as caught:
            self.adapter().read('17')
        self.assertEqual(caught.exception.seconds, 3.0)

    def test_no_answer_in_time_is_retried(self):
        self.script('hang')
        with self.assertRaises(NetworkRetryableError) as caught:
            self.adapter(timeout=0.5).read('17')
        self.assertIn('did not answer in time', str(caught.exception))

    def test_refused_connection_pauses_the_channel(self):
        with socket.socket() as sock:  # a port nothing listens on
            sock.bind(('127.0.0.1', 0))
            port = sock.getsockname()[1]
        with self.assertRaises(RemoteUnavailable) as caught:
            self.adapter(url='http://127.0.0.1:%d/api' % port).read('17')
        self.assertEqual(caught.exception.pause, 5)

    def test_answer_cut_short_is_retried(self):
        self.script((200, {'Content-Type': 'application/json', 'Content-Length': '200'},
                     b'{"id": 17, "ti'))
        with self.assertRaises(NetworkRetryableError) as caught:
            self.adapter().read('17')
        self.assertIn('cut short', str(caught.exception))

    def test_a_web_page_instead_of_json_is_a_configuration_error(self):
        self.script((200, {'Content-Type': 'text/html'}, b'<html>Welcome to the shop</html>'))
        with self.assertRaises(BackendConfigurationError) as caught:
            self.adapter().read('17')
        self.assertIn('not JSON', str(caught.exception))
        self.assertIn('check the URL of the backend', str(caught.exception))
