# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""RESTAdapter: a CRUD adapter for a JSON-over-HTTP API (``requests``).

Most systems a connector talks to (shops, marketplaces, SaaS) expose a
REST API: a collection URL per model (``/api/products/``), one URL per
record (``/api/products/17/``), JSON bodies, HTTP statuses for errors and
list endpoints cut into pages. A connector subclasses ``RESTAdapter``
per model, sets ``_path``, and says where and who it is
(``_rest_settings``)::

    @shop
    class ProductAdapter(RESTAdapter):
        _model_name = 'shop.product.product'
        _path = 'admin/products/'

        def _rest_settings(self):
            backend = self.backend_record.sudo()
            return {'url': backend.url, 'auth': (backend.login, backend.password),
                    'timeout': backend.timeout}

Then ``read('17')`` is ``GET <url>/admin/products/17/``, ``create(data)``
a ``POST`` returning the new record's id as text, ``write`` a
``PATCH``, ``delete`` a ``DELETE``, and ``search(filters)`` /
``search_read(filters)`` a ``GET`` of the collection with ``filters`` as
query parameters, following the pages (a JSON list, or a page object
``{"results": [...], "next": <url or null>}`` as Django REST framework
and many others answer).

Failures follow ``REST_ERROR_RULES``, tried in order:

=========================================  =====================================
failure                                    outcome
=========================================  =====================================
HTTP 429, or 503 with ``Retry-After``      backpressure: ``RemoteThrottled``
                                           for the time asked (the job's channel
                                           pauses on every worker)
connection refused                         backpressure for 5 s, retried with
                                           tries counted (``RemoteUnavailable``)
no answer in time, connection broken,      retried (``NetworkRetryableError``)
answer cut short
HTTP 408, 500, 502, 503, 504               retried (``NetworkRetryableError``)
HTTP 401, 403                              ``BackendConfigurationError``: check
                                           the credentials and their rights
HTTP 404                                   ``IDMissingInBackend``
HTTP 400, 409, 422                         ``InvalidDataError``: the message
                                           quotes the API's own field errors
any other HTTP status                      ``BackendConfigurationError``: check
                                           the URL
a 2xx whose body is not JSON               ``BackendConfigurationError``: check
                                           the URL (a web page answered)
=========================================  =====================================

Every message names the backend, the operation (method and path), the
model and external id, and what to do; the secrets of ``_secrets()``
(the password of ``auth`` by default) are masked. Each request is sent
once: a ``POST`` whose answer was lost may have created the record, and
the exporter's ``CreateOnce`` (not a blind resend) finds it.
"""
import json
import re
from html import unescape
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from ..exception import (BackendConfigurationError, IDMissingInBackend, InvalidDataError,
                         NetworkRetryableError, RemoteThrottled, RemoteUnavailable)
from .backend_adapter import CRUDAdapter, ErrorRule, retry_after

__all__ = ['RESTAdapter', 'HTTPStatusError', 'REST_ERROR_RULES']


class HTTPStatusError(Exception):
    """An answer with an error status; ``status``, ``headers`` and ``body`` (decoded
    JSON when it is JSON, else text) as received."""

    def __init__(self, method, url, status, reason, headers, body):
        super().__init__('HTTP %s %s on %s %s' % (status, reason, method, url))
        self.method = method
        self.url = url
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body


class NotJSONError(Exception):
    """A successful answer whose body is not JSON (another site answered)."""


def _status_in(*statuses):
    return lambda error: error.status in statuses


def _is_throttling(error):
    """429, or a 503 that says when to come back: the API asks us to slow down."""
    return error.status == 429 or (error.status == 503 and error.headers.get('Retry-After'))


def _is_refused(error):
    """True when the connection was refused (``requests`` wraps the socket's error)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, ConnectionRefusedError) or 'Connection refused' in str(error):
            return True
        error = error.__cause__ or error.__context__ or next(
            (arg for arg in getattr(error, 'args', ()) if isinstance(arg, BaseException)), None)
    return False


REST_ERROR_RULES = (
    ErrorRule(HTTPStatusError, RemoteThrottled,
              'the API asks us to slow down: no job of this channel starts until then; lower '
              "the backend's requests per second if this recurs",
              when=_is_throttling, seconds=retry_after),
    ErrorRule(requests.exceptions.ConnectionError, RemoteUnavailable,
              'the API could not be reached (it refused the connection: overloaded or down); '
              'no job of its channel starts for 5 s, and the job will be retried',
              when=_is_refused, seconds=retry_after),
) + CRUDAdapter._error_rules + (
    ErrorRule(requests.exceptions.Timeout, NetworkRetryableError,
              'the API did not answer in time; the job will be retried'),
    ErrorRule((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError,
               requests.exceptions.ContentDecodingError), NetworkRetryableError,
              'the connection broke or the answer was cut short (the API may have '
              'restarted); the job will be retried'),
    ErrorRule(HTTPStatusError, NetworkRetryableError,
              'the API had a transient error; the job will be retried',
              when=_status_in(408, 500, 502, 503, 504)),
    ErrorRule(HTTPStatusError, BackendConfigurationError,
              'check the credentials of the backend and their rights on the API',
              when=_status_in(401, 403)),
    ErrorRule(HTTPStatusError, IDMissingInBackend,
              'the record does not exist (any more) on the API', when=_status_in(404)),
    ErrorRule(HTTPStatusError, InvalidDataError,
              'the API refused the data: fix the record (in Odoo for an export, on the '
              'remote for an import), then requeue the job', when=_status_in(400, 409, 422)),
    ErrorRule(HTTPStatusError, BackendConfigurationError,
              'check the URL of the backend (the API root)'),
    ErrorRule(NotJSONError, BackendConfigurationError,
              'check the URL of the backend: it should be the root of the JSON API'),
)
"""The table of the module docstring; a connector extends it with
``RESTAdapter._error_rules + (...)`` (or puts its own rules first)."""

#: At most this many characters of an error answer are quoted in a message.
MAX_QUOTED_BODY = 500


class RESTAdapter(CRUDAdapter):
    """CRUD on one collection of a JSON API (see the module docstring).

    Override ``_rest_settings`` (where and who), set ``_path`` (the
    collection, relative to the API root) and, when the API differs,
    ``_record_path`` (one record), ``_page_items`` (a page's records and
    the next page's URL) or ``_id_key`` (the key of a record's id).
    """

    # read/create/write are the API's operations, not Odoo model methods: they call
    # no super() (pylint-odoo expects one in a model's).
    # pylint: disable=method-required-super

    _model_name = None
    _path = None
    _id_key = 'id'
    _error_rules = REST_ERROR_RULES

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self._settings = None
        self._http = None

    # -- settings -------------------------------------------------------------

    def _rest_settings(self) -> Dict[str, Any]:
        """``{'url': API root, 'timeout': seconds, 'auth': (user, password) or a requests
        auth, 'headers': {...}}``; only ``url`` is required. Override this method."""
        raise NotImplementedError(
            '%s must override _rest_settings() to say where the API is (url) and how to '
            'authenticate (auth, headers).' % type(self).__name__)

    @property
    def settings(self) -> Dict[str, Any]:
        if self._settings is None:
            settings = dict(self._rest_settings())
            settings.setdefault('timeout', 30)
            settings['url'] = (settings.get('url') or '').rstrip('/') + '/'
            self._settings = settings
        return self._settings

    def _secrets(self):
        auth = self.settings.get('auth')
        secrets = [auth[1]] if isinstance(auth, tuple) and len(auth) == 2 else []
        return secrets + list(self.settings.get('secrets') or [])

    def _session(self):
        if self._http is None:
            self._http = requests.Session()
            self._http.headers.update({'Accept': 'application/json'})
            self._http.headers.update(self.settings.get('headers') or {})
            if self.settings.get('auth') is not None:
                self._http.auth = self.settings['auth']
        return self._http

    # -- one call -------------------------------------------------------------

    def url_for(self, path: str) -> str:
        """The absolute URL of ``path`` (relative to the API root, or absolute)."""
        return urljoin(self.settings['url'], path)

    def call(self, method: str, path: str, params: Optional[dict] = None,
             payload: Any = None, external_id: Optional[str] = None) -> Any:
        """Send one request; the decoded JSON answer (None for an empty one).

        Failures become connector exceptions (``_error_rules``), their
        message naming ``method path`` and ``external_id``.
        """
        url = self.url_for(path)
        operation = '%s %s' % (method, urlsplit(url).path)
        with self.handle_errors(operation, external_id):
            response = self._session().request(
                method, url, params=params, timeout=self.settings['timeout'],
                data=None if payload is None else json.dumps(payload),
                headers={'Content-Type': 'application/json'} if payload is not None else None)
            if response.status_code >= 400:
                raise HTTPStatusError(method, urlsplit(url).path, response.status_code,
                                      response.reason, response.headers, _body(response))
            if not response.content.strip():
                return None
            try:
                return response.json()
            except ValueError as err:
                raise NotJSONError('HTTP %s on %s %s answered %r, not JSON' % (
                    response.status_code, method, urlsplit(url).path,
                    response.text[:200])) from err

    def _describe_error(self, error):
        """An error status with what the API said (its field errors, as sent)."""
        if isinstance(error, HTTPStatusError):
            text = '%s: %s' % (error, _quote(error.body)) if error.body else str(error)
            return text
        return super()._describe_error(error)

    # -- pages ------------------------------------------------------------------

    def _page_items(self, page):
        """``(records, next page URL or None)`` of one answer of a list endpoint.

        A JSON list is the only page; an object has its records in
        ``results`` and the next page in ``next``. Override this method for
        another shape.
        """
        if isinstance(page, list):
            return page, None
        if isinstance(page, dict) and isinstance(page.get('results'), list):
            return page['results'], page.get('next')
        raise NotJSONError('a list endpoint answered %s, neither a list nor a page with '
                           '"results"' % _quote(page))

    def iter_pages(self, path: str, params: Optional[dict] = None) -> Iterator[List[dict]]:
        """Each page of records of the list endpoint ``path``, following ``next``.

        The next page's URL is kept on the API root this adapter was given:
        an API behind a proxy builds it with its own host name.
        """
        url, page_params = path, params
        while url:
            records, next_url = self._page_items(self.call('GET', url, params=page_params))
            yield records
            url, page_params = (self._on_our_root(next_url) if next_url else None), None

    def _on_our_root(self, url):
        ours, theirs = urlsplit(self.settings['url']), urlsplit(url)
        return urlunsplit((ours.scheme, ours.netloc, theirs.path, theirs.query, ''))

    # -- CRUD ---------------------------------------------------------------------

    def _record_path(self, external_id):
        """The path of one record: ``_path`` then the id and a slash. Override for another."""
        return '%s%s/' % (self._path, external_id)

    def search_read(self, filters=None):
        """Every record of the collection matching ``filters`` (query parameters)."""
        records = []
        for page in self.iter_pages(self._path, params=dict(filters or {})):
            records.extend(page)
        return records

    def search(self, filters=None):
        """External ids (text) of the records matching ``filters``."""
        return [str(record[self._id_key]) for record in self.search_read(filters)]

    def read(self, external_id, attributes=None):
        record = self.call('GET', self._record_path(external_id), external_id=external_id)
        if attributes:
            return {key: value for key, value in record.items() if key in attributes}
        return record

    def create(self, data):
        record = self.call('POST', self._path, payload=data)
        return str(record[self._id_key])

    def write(self, external_id, data):
        return self.call('PATCH', self._record_path(external_id), payload=data,
                         external_id=external_id)

    def delete(self, external_id):
        self.call('DELETE', self._record_path(external_id), external_id=external_id)


def _body(response):
    try:
        return response.json()
    except ValueError:
        return response.text


_HTML_TAG = re.compile(r'<(html|head|body|title|h1|p|div|!doctype)\b', re.IGNORECASE)
_HTML_TITLE = re.compile(r'<title[^>]*>(.*?)</title>', re.IGNORECASE | re.DOTALL)
_HTML_SKIPPED = re.compile(r'<(script|style)\b.*?</\1\s*>', re.IGNORECASE | re.DOTALL)


def _page_text(html):
    """A web page (a server's error page) as one line: its title, then its text.

    Workers log a message's last line: the raw page would show ``</html>``.
    """
    title = _HTML_TITLE.search(html)
    text = re.sub(r'<[^>]+>', ' ', _HTML_SKIPPED.sub(' ', _HTML_TITLE.sub(' ', html)))
    text = ' '.join(unescape(text).split())
    if title:
        title = ' '.join(unescape(title.group(1)).split())
        text = '%s: %s' % (title, text) if text and not text.startswith(title) else title
    return 'a web page: %s' % text if text else 'an empty web page'


def _quote(body):
    """An answer's body for a message: field errors as ``field: message``, else JSON."""
    if isinstance(body, dict):
        parts = []
        for key, value in body.items():
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                value = ' '.join(value)
            elif not isinstance(value, str):
                value = json.dumps(value, sort_keys=True)
            parts.append('%s: %s' % (key, value))
        text = '; '.join(parts)
    elif isinstance(body, str):
        text = _page_text(body) if _HTML_TAG.search(body) else ' '.join(body.split())
    else:
        text = json.dumps(body, sort_keys=True)
    if len(text) > MAX_QUOTED_BODY:
        text = text[:MAX_QUOTED_BODY] + '...'
    return text
