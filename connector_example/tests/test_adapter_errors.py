# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The example adapter's error table, on real answers of a scripted local server.

The adapter runs for real (login, then the call) against a local socket
that answers with canned bytes: XML-RPC faults as Odoo 11 formats them
(tracebacks shortened from real ones), HTTP error statuses, a truncated
answer. Each test checks the exception class and the whole message.
"""
import datetime
import email.utils
import http.client
import re
import socket
import threading
import xmlrpc.client

from odoo.tests import common

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.exception import (BackendConfigurationError, NetworkRetryableError,
                                             RemoteThrottled, RemoteUnavailable, RetryableJobError)
from odoo.addons.connector.session import ConnectorSession

from ..units.adapter import PartnerAdapter, forget_remotes

FRAMES = ('Traceback (most recent call last):\n'
          '  File "odoo/service/model.py", line 160, in execute\n'
          '    res = execute_cr(cr, uid, obj, method, *args, **kw)\n'
          '  File "odoo/models.py", line 3190, in _write\n'
          '    cr.execute(query, params + (sub_ids,))\n'
          '  File "odoo/sql_db.py", line 232, in execute\n'
          '    res = self._obj.execute(query, params)\n')

TRANSIENT_FAULTS = {
    'closed cursor': (
        FRAMES.replace('Traceback', 'KeyError: 1\n\nDuring handling of the above exception, '
                                    'another exception occurred:\n\nTraceback')
        + 'psycopg2.OperationalError: Unable to use a closed cursor.\n',
        'psycopg2.OperationalError: Unable to use a closed cursor.'),
    'serialization failure': (
        FRAMES + 'psycopg2.errors.SerializationFailure: could not serialize access due to '
                 'concurrent update\n\n',
        'psycopg2.errors.SerializationFailure: could not serialize access due to concurrent '
        'update'),
    'older psycopg2': (
        FRAMES + 'psycopg2.extensions.TransactionRollbackError: could not serialize access '
                 'due to concurrent update\n',
        'psycopg2.extensions.TransactionRollbackError: could not serialize access due to '
        'concurrent update'),
    'deadlock': (
        FRAMES + 'psycopg2.errors.DeadlockDetected: deadlock detected\nDETAIL:  Process 4242 '
                 'waits for ShareLock on transaction 977; blocked by process 4243.\n'
                 'HINT:  See server log for query details.\nCONTEXT:  while updating tuple '
                 '(0,12) in relation "res_partner"\n',
        'psycopg2.errors.DeadlockDetected: deadlock detected\nDETAIL:  Process 4242 waits for '
        'ShareLock on transaction 977; blocked by process 4243.\nHINT:  See server log for '
        'query details.\nCONTEXT:  while updating tuple (0,12) in relation "res_partner"'),
    'lock not available': (
        FRAMES + 'psycopg2.errors.LockNotAvailable: could not obtain lock on row in relation '
                 '"res_partner"\n',
        'psycopg2.errors.LockNotAvailable: could not obtain lock on row in relation '
        '"res_partner"'),
}

VALIDATION_FAULT = FRAMES + ("odoo.exceptions.ValidationError: ('The parent of a partner "
                             "cannot be the partner itself.', None)\n")

FAULT_AFTER_A_CONCURRENT_UPDATE = (
    FRAMES + 'psycopg2.errors.SerializationFailure: could not serialize access due to '
             'concurrent update\n\nDuring handling of the above exception, another exception '
             'occurred:\n\n' + VALIDATION_FAULT)


def http_answer(body, status='200 OK', length=None, headers=''):
    return ('HTTP/1.0 %s\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n%s\r\n'
            % (status, len(body) if length is None else length, headers)).encode() + body


def rpc_answer(value):
    """The HTTP answer of Odoo's XML-RPC returning ``value`` (or a Fault)."""
    return http_answer(xmlrpc.client.dumps(
        value if isinstance(value, xmlrpc.client.Fault) else (value,),
        methodresponse=True, allow_none=True).encode())


LOGGED_IN = rpc_answer(2)


class ScriptedRemote(object):
    """A local server answering the n-th connection with the n-th canned answer."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(5)
        self.url = 'http://127.0.0.1:%d' % self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        for answer in self.answers:
            try:
                connection, _address = self.sock.accept()
            except OSError:  # closed by the test before every answer was asked for
                return
            with connection:
                data = b''
                while not data.endswith(b'</methodCall>\n'):
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.requests.append(data)
                connection.sendall(answer)

    def close(self):
        self.sock.close()
        self.thread.join(5)


class TestExampleErrorRules(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.backend = self.env['example.backend'].create({
            'name': 'Head office', 'url': 'http://127.0.0.1:1', 'database': 'remote',
            'login': 'admin', 'password': 'secret', 'timeout': 5})

    def adapter(self, *answers):
        """The partner adapter, on a scripted remote giving ``answers`` after the login."""
        self.remote = ScriptedRemote(LOGGED_IN, *answers)
        self.addCleanup(self.remote.close)
        forget_remotes()  # a port may be reused: the scripted login is answered first
        self.backend.url = self.remote.url + '/'
        connector_env = ConnectorEnvironment(
            self.backend, ConnectorSession.from_env(self.env), 'example.res.partner')
        return connector_env.get_connector_unit(PartnerAdapter)

    def same_backend_adapter(self):
        """Another adapter of the same backend, on the same scripted remote (another job)."""
        connector_env = ConnectorEnvironment(
            self.backend, ConnectorSession.from_env(self.env), 'example.res.partner')
        return connector_env.get_connector_unit(PartnerAdapter)

    def test_country_codes_are_read_once_per_backend_until_an_unknown_id(self):
        """Two partners of one country cost one read of the remote's countries; a country
        not among them makes the adapter read them again."""
        def partner(remote_id, country):
            return rpc_answer([{'id': remote_id, 'name': 'Partner %d' % remote_id,
                                'parent_id': False, 'country_id': country, 'category_id': []}])
        countries = rpc_answer([{'id': 20, 'code': 'BE'}, {'id': 56, 'code': 'DE'}])
        adapter = self.adapter(partner(7, [20, 'Belgium']), countries, partner(8, [20, 'Belgium']),
                               partner(9, [99, 'Newland']),
                               rpc_answer([{'id': 20, 'code': 'BE'}, {'id': 99, 'code': 'NL'}]))
        self.assertEqual([adapter.read(remote_id)['country_code'] for remote_id in '78'],
                         ['BE', 'BE'])
        self.assertEqual(self.same_backend_adapter().read('9')['country_code'], 'NL')
        self.assertEqual([request.count(b'res.country') for request in self.remote.requests],
                         [0, 0, 1, 0, 0, 1])

    def test_a_process_logs_in_once_per_backend_until_access_is_denied(self):
        """The adapters of one backend log in once (authenticate hashes the password on the
        remote); a call refused with Access Denied makes the next adapter log in again."""
        denied = rpc_answer(xmlrpc.client.Fault(3, 'Access denied'))  # as Odoo 11 says it
        self.adapter(rpc_answer(9), denied, LOGGED_IN, rpc_answer(10)).create({'name': 'A'})
        with self.assertRaises(BackendConfigurationError):
            self.same_backend_adapter().create({'name': 'B'})
        self.assertEqual(self.same_backend_adapter().create({'name': 'C'}), '10')
        self.assertEqual([re.search(rb'<methodName>(\w+)<', request).group(1)
                          for request in self.remote.requests],
                         [b'authenticate', b'execute_kw', b'execute_kw', b'authenticate',
                          b'execute_kw'])

    def prefix(self, operation, external_id=None):
        target = 'example.res.partner' + (" '%s'" % external_id if external_id else '')
        return "Backend 'Head office' (example.backend,%d): %s of %s failed: " % (
            self.backend.id, operation, target)

    def test_transient_server_faults_are_retried(self):
        """A concurrent-update fault of the remote's database becomes a RetryableJobError whose
        message names backend, model, external id and the final remote exception."""
        for case, (fault_string, final) in TRANSIENT_FAULTS.items():
            with self.subTest(case):
                adapter = self.adapter(rpc_answer(xmlrpc.client.Fault(1, fault_string)))
                with self.assertRaises(RetryableJobError) as caught:
                    adapter.write('7', {'phone': '+32 2 555 01 01'})
                self.assertNotIsInstance(caught.exception, NetworkRetryableError)
                self.assertIsInstance(caught.exception.__cause__, xmlrpc.client.Fault)
                self.assertEqual(
                    str(caught.exception),
                    self.prefix('res.partner.write', '7') + 'Fault 1: %s; the remote Odoo met '
                    'a concurrent update of the same records (a transient fault of its '
                    'database); the job will be retried.' % final)

    def test_other_faults_are_not_retried(self):
        """A validation error of the remote, even one raised while handling a concurrent update,
        passes through: trying again would fail again."""
        for fault_string in (VALIDATION_FAULT, FAULT_AFTER_A_CONCURRENT_UPDATE):
            adapter = self.adapter(rpc_answer(xmlrpc.client.Fault(1, fault_string)))
            with self.assertRaises(xmlrpc.client.Fault) as caught:
                adapter.write('7', {'parent_id': '7'})
            self.assertIn('ValidationError', caught.exception.faultString)

    def test_access_denied_is_a_configuration_error(self):
        """A refused password on a call is for a person to fix, and is never shown."""
        adapter = self.adapter(rpc_answer(xmlrpc.client.Fault(3, 'Access Denied')))
        with self.assertRaises(BackendConfigurationError) as caught:
            adapter.read('7')
        self.assertEqual(str(caught.exception), self.prefix('res.partner.search_read', '7') +
                         'Fault 3: Access Denied; check the login and password of the backend.')

    def test_gateway_errors_are_retried(self):
        """HTTP 500, 502, 503 and 504 (the remote or its proxy restarting) are retried."""
        for status in ('500 Internal Server Error', '502 Bad Gateway', '503 Service Unavailable',
                       '504 Gateway Timeout'):
            with self.subTest(status):
                adapter = self.adapter(http_answer(b'<html>down</html>', status=status))
                with self.assertRaises(NetworkRetryableError) as caught:
                    adapter.delete('7')
                self.assertEqual(str(caught.exception), self.prefix('res.partner.unlink', '7') +
                                 'ProtocolError: <ProtocolError for %s/xmlrpc/2/object: %s>; the '
                                 'remote server had an error; the job will be retried.'
                                 % (self.backend.url[len('http://'):-1], status))

    def test_throttling_answers_pause_the_channel_for_the_time_asked(self):
        """429 (with or without Retry-After) and 503 with Retry-After are backpressure:
        RemoteThrottled with the seconds the remote asked for (5 when it does not say)."""
        in_a_minute = email.utils.format_datetime(
            datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=60),
            usegmt=True)
        for status, headers, seconds in (
                ('429 Too Many Requests', 'Retry-After: 7\r\n', 7),
                ('429 Too Many Requests', '', 5),
                ('503 Service Unavailable', 'Retry-After: 2\r\n', 2),
                ('429 Too Many Requests', 'Retry-After: %s\r\n' % in_a_minute, 60)):
            with self.subTest(status=status, headers=headers):
                adapter = self.adapter(http_answer(b'slow down', status=status, headers=headers))
                with self.assertRaises(RemoteThrottled) as caught:
                    adapter.delete('7')
                self.assertAlmostEqual(caught.exception.seconds, seconds, delta=2)
                self.assertTrue(caught.exception.ignore_retry, 'a throttled try is not counted')
                self.assertIn(status + '>; the remote asks us to slow down', str(caught.exception))

    def test_a_refused_connection_is_counted_backpressure(self):
        """A remote refusing connections pauses the channel 5 s; the tries count."""
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            self.backend.url = 'http://127.0.0.1:%d' % sock.getsockname()[1]
        connector_env = ConnectorEnvironment(
            self.backend, ConnectorSession.from_env(self.env), 'example.res.partner')
        with self.assertRaises(RemoteUnavailable) as caught:
            connector_env.get_connector_unit(PartnerAdapter).delete('7')
        self.assertEqual((caught.exception.pause, caught.exception.seconds,
                          caught.exception.ignore_retry), (5, None, False))
        self.assertIn('ConnectionRefusedError', str(caught.exception))

    def test_other_statuses_are_configuration_errors(self):
        """A 404 (wrong URL) or a 501 (not an Odoo) will not go away by retrying."""
        for status in ('404 NOT FOUND', '501 Not Implemented'):
            with self.subTest(status):
                adapter = self.adapter(http_answer(b'<html>no</html>', status=status))
                with self.assertRaises(BackendConfigurationError) as caught:
                    adapter.delete('7')
                self.assertIn(status + '>; check the URL of the backend', str(caught.exception))

    def test_truncated_answer_is_retried_by_the_generic_rule(self):
        """An answer cut short meets the framework's rule before the example's own."""
        body = rpc_answer([{'id': 7, 'name': 'Agrolait'}]).split(b'\r\n\r\n', 1)[1]
        adapter = self.adapter(http_answer(body[:len(body) // 2], length=len(body)))
        with self.assertRaises(NetworkRetryableError) as caught:
            adapter.read('7')
        message = str(caught.exception)
        self.assertTrue(message.startswith(self.prefix('res.partner.search_read', '7') +
                                           'ExpatError: '), message)
        self.assertTrue(message.endswith('the answer of the backend was empty or cut short (it '
                                         'may have died while answering); the job will be '
                                         'retried.'), message)

    def test_request_whose_answer_is_lost_is_not_sent_again(self):
        """A create whose connection closes before the answer is sent once, then fails as
        retryable: sent again, it could create a second remote partner."""
        adapter = self.adapter(b'', rpc_answer(99))  # closed without answer, then a success
        with self.assertRaises(NetworkRetryableError) as caught:
            adapter.create({'name': 'New Contact'})
        self.assertIsInstance(caught.exception.__cause__, http.client.RemoteDisconnected)
        self.assertEqual(str(caught.exception), self.prefix('res.partner.create') +
                         'RemoteDisconnected: Remote end closed connection without response; the '
                         'connection broke before the answer was complete (the backend may have '
                         'restarted); the job will be retried.')
        self.assertEqual(len(self.remote.requests), 2, 'the login and one create, no more')
