# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""XML-RPC access to the remote Odoo: the only code that talks to it.

Odoo's documented external API: ``/xmlrpc/2/common`` to authenticate,
``/xmlrpc/2/object`` ``execute_kw`` to call model methods. Remote records
are handed to the rest of the connector as plain dicts, with the remote's
own ids (as text) and with the country and categories already resolved to
their ISO code and names, so mappers never call the remote.

Failures follow ``EXAMPLE_ERROR_RULES``, tried in order: the framework's
generic rules first (timeouts, refused or broken connections, answers cut
short by a remote dying mid-response: all retried), then the remote
Odoo's own:

==========================================  ===================================
failure                                     outcome
==========================================  ===================================
HTTP 429, or 503 with ``Retry-After``       backpressure: the remote throttles
                                            us; the job's channel pauses, on
                                            every worker, for the time it asks
                                            (``RemoteThrottled``); tries not
                                            counted
refused connection                          backpressure for 5 s (a remote
                                            under load, or down): the channel
                                            pauses, the job is retried as for
                                            a network error, tries counted
                                            (``RemoteUnavailable``)
HTTP 500, 502, 503, 504                     retried (a proxy or worker of the
                                            remote is down or restarting)
other HTTP status (404, 501...)             configuration error: check the URL
fault "Access denied" (any case)            configuration error: check login
                                            and password
fault of a concurrent update on the         retried: serialization failure,
remote's database                           deadlock, lock not available, and
                                            "Unable to use a closed cursor"
                                            (Odoo 11 raises it when its own
                                            retry of a concurrent update fails)
other ``http.client.HTTPException``         retried: the connection broke
any other fault (a validation error...)     not translated: the job fails
==========================================  ===================================

"Retried" means a ``RetryableJobError`` (``NetworkRetryableError`` for the
transport): the job runs again later, at most its ``max_retries`` times,
then fails with the last message for a person to requeue.
"""
import hashlib
import http.client
import xmlrpc.client

from odoo.addons.connector.exception import (BackendConfigurationError, IDMissingInBackend,
                                             NetworkRetryableError, RemoteThrottled,
                                             RemoteUnavailable, RetryableJobError)
from odoo.addons.connector.unit.backend_adapter import CRUDAdapter, ErrorRule, retry_after

from ..backend import example

PARTNER_FIELDS = ['name', 'type', 'email', 'phone', 'street', 'city', 'zip', 'is_company',
                  'parent_id', 'country_id', 'category_id', 'active', 'write_date']
EXPORT_KEY_FIELD = 'ref'
"""Field of the remote partner that holds the export key of the partner we created
(see ``Exporter``: a retry finds it instead of creating a second partner)."""


_LOGINS = {}
"""Remote uid by (url, database, login, digest of the password), in this process:
see ``ExampleAdapter.login``."""

_COUNTRY_CODES = {}
"""``{remote country id: ISO code}`` by (url, database), in this process: see
``PartnerAdapter._country_code``."""


def forget_remotes():
    """Forget what this process knows of the remotes (logins, country codes): the next
    call of each backend logs in (for tests that script a remote's answers)."""
    _LOGINS.clear()
    _COUNTRY_CODES.clear()


class TimeoutTransport(xmlrpc.client.Transport):
    """XML-RPC transport whose connections give up after ``timeout`` seconds.

    It sends each request once. ``xmlrpc.client.Transport`` sends a request
    a second time when the connection closes or resets before the answer,
    for a kept-alive connection gone cold; but each call here opens a new
    connection, so the server got the request and may have done the work:
    a ``create`` sent again creates a second record. The failure is raised
    instead, and the job's retry (which looks for what a failed try
    created, see ``Exporter``) decides.
    """

    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection

    def request(self, host, handler, request_body, verbose=False):
        return self.single_request(host, handler, request_body, verbose)


RETRYABLE_HTTP_STATUSES = frozenset([500, 502, 503, 504])
"""Statuses of a remote (or of the proxy in front of it) that is down for a moment."""

TRANSIENT_FAULT_MARKERS = (
    'could not serialize access',  # "... due to concurrent update" (SerializationFailure)
    'SerializationFailure', 'TransactionRollbackError',
    'deadlock detected', 'DeadlockDetected',
    'lock not available', 'LockNotAvailable', 'could not obtain lock',
    'Unable to use a closed cursor',  # Odoo 11, after its own retry of a concurrent update
)
"""Texts of the final exception of a remote fault that trying again later cures."""


def final_exception(fault):
    """The exception that ended a remote call, from the fault's traceback.

    Odoo sends the formatted traceback as ``faultString``: the final
    exception is the text after the frames (indented lines) of its last
    ``Traceback`` block. A fault without a traceback is its whole text.

    >>> final_exception(xmlrpc.client.Fault(1, 'Traceback (most recent call last):\\n'
    ...     '  File "sql_db.py", line 154, in wrapper\\n    raise OperationalError(msg)\\n'
    ...     'psycopg2.OperationalError: Unable to use a closed cursor.\\n'))
    'psycopg2.OperationalError: Unable to use a closed cursor.'
    """
    lines = fault.faultString.strip().splitlines()
    starts = [index for index, line in enumerate(lines) if line.startswith('Traceback (')]
    if not starts:
        return '\n'.join(lines)
    frames_and_exception = lines[starts[-1] + 1:]
    for index, line in enumerate(frames_and_exception):
        if not line.startswith(' '):
            return '\n'.join(frames_and_exception[index:])
    return '\n'.join(lines)


def _is_access_denied(fault):
    # Odoo 11 answers a wrong password on a call with Fault 3 'Access denied'
    text = fault.faultString.lower()
    return 'accessdenied' in text or 'access denied' in text


def _is_transient_fault(fault):
    text = final_exception(fault)
    return any(marker in text for marker in TRANSIENT_FAULT_MARKERS)


def _is_throttling(error):
    """429, or a 503 that says when to come back: the remote asks us to slow down."""
    return error.errcode == 429 or (
        error.errcode == 503 and error.headers is not None
        and error.headers.get('Retry-After') is not None)


THROTTLING_RULES = (
    ErrorRule(xmlrpc.client.ProtocolError, RemoteThrottled,
              'the remote asks us to slow down: no job of this channel starts until then; '
              "lower the backend's requests per second if this recurs",
              when=_is_throttling, seconds=retry_after),
    ErrorRule(ConnectionRefusedError, RemoteUnavailable,
              'the remote could not be reached (it refused the connection: overloaded or '
              'down); no job of its channel starts for 5 s, and the job will be retried',
              seconds=retry_after),
)
"""Backpressure: tried before every other rule (a refused connection would
otherwise be a plain network error)."""

EXAMPLE_ERROR_RULES = THROTTLING_RULES + CRUDAdapter._error_rules + (
    ErrorRule(xmlrpc.client.ProtocolError, NetworkRetryableError,
              'the remote server had an error; the job will be retried',
              when=lambda error: error.errcode in RETRYABLE_HTTP_STATUSES),
    ErrorRule(xmlrpc.client.ProtocolError, BackendConfigurationError,
              'check the URL of the backend (it should be the root URL of the remote Odoo)'),
    ErrorRule(xmlrpc.client.Fault, BackendConfigurationError,
              'check the login and password of the backend', when=_is_access_denied),
    ErrorRule(xmlrpc.client.Fault, RetryableJobError,
              'the remote Odoo met a concurrent update of the same records (a transient '
              'fault of its database); the job will be retried', when=_is_transient_fault),
    ErrorRule(http.client.HTTPException, NetworkRetryableError,
              'the connection broke; the job will be retried'),
)


class ExampleAdapter(CRUDAdapter):
    """Calls one model of the remote Odoo (``_remote_model``) over XML-RPC."""

    _model_name = None
    _remote_model = None
    _error_rules = EXAMPLE_ERROR_RULES

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self._uid = None
        self._settings = connector_env.backend_record.sudo()._example_settings()

    def _secrets(self):
        return [self._settings['password']]

    def _describe_error(self, error):
        """A fault by its code and final exception, not the remote's whole traceback."""
        if isinstance(error, xmlrpc.client.Fault):
            return 'Fault %s: %s' % (error.faultCode, final_exception(error))
        return super()._describe_error(error)

    def _proxy(self, endpoint):
        return xmlrpc.client.ServerProxy(
            '%s/xmlrpc/2/%s' % (self._settings['url'].rstrip('/'), endpoint),
            transport=TimeoutTransport(self._settings['timeout']), allow_none=True)

    def _login_key(self):
        settings = self._settings
        return (settings['url'].rstrip('/'), settings['database'], settings['login'],
                hashlib.sha256((settings['password'] or '').encode()).hexdigest())

    def login(self, fresh=False):
        """Authenticate on the remote; returns the remote user id.

        ``authenticate`` checks the password against its hash: on Odoo 11 a
        PBKDF2 of 25,000 rounds, 40 to 80 ms of the remote's CPU, more than
        reading and resolving a partner. Each job has an adapter of its own,
        so the uid is kept for the process (``_LOGINS``) and a worker logs in
        once per backend. The remote still checks the password of every call
        (it caches that check): a call refused with "Access denied" forgets
        the uid, and the next job logs in again. ``fresh=True`` logs in
        whatever is known (the backend's *Test connection*).
        """
        if self._uid is None and not fresh:
            self._uid = _LOGINS.get(self._login_key())
        if self._uid is None or fresh:
            settings = self._settings
            with self.handle_errors('login'):
                uid = self._proxy('common').authenticate(
                    settings['database'], settings['login'], settings['password'], {})
            if not uid:
                _LOGINS.pop(self._login_key(), None)
                backend = self.backend_record
                raise BackendConfigurationError(
                    'Backend %r (%s,%s): the remote Odoo at %s refused the login %r on '
                    'database %r; check the login and password of the backend.' % (
                        backend.display_name, backend._name, backend.id, settings['url'],
                        settings['login'], settings['database']))
            self._uid = _LOGINS[self._login_key()] = uid
        return self._uid

    def execute(self, method, args, kwargs=None, model=None, external_id=None):
        """Call ``method`` of the remote model; failures become connector exceptions."""
        uid = self.login()
        settings = self._settings
        with self.handle_errors('%s.%s' % (model or self._remote_model, method), external_id):
            try:
                return self._proxy('object').execute_kw(
                    settings['database'], uid, settings['password'],
                    model or self._remote_model, method, args, kwargs or {})
            except xmlrpc.client.Fault as fault:
                if _is_access_denied(fault):  # a changed password or user: log in again
                    _LOGINS.pop(self._login_key(), None)
                    self._uid = None
                raise


@example
class PartnerAdapter(ExampleAdapter):
    """Partners of the remote Odoo, with their country and categories."""

    _model_name = 'example.res.partner'
    _remote_model = 'res.partner'
    # read/create/write call the remote; they override no Odoo model method
    # pylint: disable=method-required-super

    def search(self, filters=None):
        """Remote partner ids (text), of partners changed since ``filters['since']``."""
        return [remote_id for remote_id, _parent_id in self.search_parents(filters)]

    def search_parents(self, filters=None):
        """``[(remote id, remote parent id or None)]`` (text) of the partners changed
        since ``filters['since']``, by id, in one call (the batch importer delays a
        company's import before its contacts')."""
        domain = []
        if filters and filters.get('since'):
            domain.append(('write_date', '>=', filters['since']))
        records = self.execute('search_read', [domain], {
            'fields': ['parent_id'], 'context': {'active_test': False}, 'order': 'id'})
        return [(str(record['id']), str(record['parent_id'][0]) if record['parent_id'] else None)
                for record in records]

    def read(self, external_id, attributes=None):
        records = self.execute(
            'search_read', [[('id', '=', int(external_id))]],
            {'fields': attributes or PARTNER_FIELDS, 'context': {'active_test': False}},
            external_id=external_id)
        if not records:
            raise IDMissingInBackend('remote partner %s does not exist' % external_id)
        return self._with_names(records[0])

    def search_read(self, filters=None):
        return [self.read(external_id) for external_id in self.search(filters)]

    def create(self, data):
        return str(self.execute('create', [self._to_remote(data)]))

    def find_by_export_key(self, key):
        """Remote id (text) of the partner created with export key ``key``, or None."""
        ids = self.execute('search', [[(EXPORT_KEY_FIELD, '=', key)]],
                           {'context': {'active_test': False}, 'limit': 1})
        return str(ids[0]) if ids else None

    def write(self, external_id, data):
        self.execute('write', [[int(external_id)], self._to_remote(data)],
                     external_id=external_id)

    def delete(self, external_id):
        self.execute('unlink', [[int(external_id)]], external_id=external_id)

    def archive(self, external_id):
        self.execute('write', [[int(external_id)], {'active': False}],
                     external_id=external_id)

    # -- remote ids <-> codes and names ------------------------------------

    def _with_names(self, record):
        """The record with its relations as text: parent id, country code, category names."""
        record = dict(record)
        record['id'] = str(record['id'])
        record['parent_id'] = str(record['parent_id'][0]) if record.get('parent_id') else None
        country = record.pop('country_id', None)
        record['country_code'] = self._country_code(country[0]) if country else None
        category_ids = record.pop('category_id', None) or []
        record['category_names'] = sorted(
            category['name'] for category in self.execute(
                'read', [category_ids, ['name']], model='res.partner.category')
        ) if category_ids else []
        return record

    def _country_code(self, country_id):
        """The ISO code of remote country ``country_id``, or None.

        The remote's countries (about 250) are read once per process and
        backend, and again when an id is not among them (a country added
        since): a read per imported partner cost the remote more than the
        partner's own. A code changed on the remote (ISO codes do not
        change) is seen once the worker restarts.
        """
        key = (self._settings['url'].rstrip('/'), self._settings['database'])
        codes = _COUNTRY_CODES.get(key)
        if codes is None or country_id not in codes:
            codes = _COUNTRY_CODES[key] = {
                country['id']: country['code'] for country in self.execute(
                    'search_read', [[]], {'fields': ['code'], 'context': {'active_test': False}},
                    model='res.country')}
        return codes.get(country_id)

    def _to_remote(self, data):
        data = dict(data)
        if 'parent_id' in data:
            data['parent_id'] = int(data['parent_id']) if data['parent_id'] else False
        if 'country_code' in data:
            code = data.pop('country_code')
            ids = self.execute('search', [[('code', '=', code)]], model='res.country') \
                if code else []
            data['country_id'] = ids[0] if ids else False
        if 'category_names' in data:
            data['category_id'] = [(6, 0, [self._remote_category(name)
                                           for name in data.pop('category_names')])]
        return data

    def _remote_category(self, name):
        ids = self.execute('search', [[('name', '=', name)]], model='res.partner.category')
        if ids:
            return ids[0]
        return self.execute('create', [{'name': name}], model='res.partner.category')
