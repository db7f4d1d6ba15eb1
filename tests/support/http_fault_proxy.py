# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A real HTTP proxy in front of a REST API: counts the requests, and fails some on command.

Put it between a connector and a real HTTP server (here: the Odoo backend
and the django-oscar shop); it forwards every request (any method, the
headers the API needs), records ``(method, path, status)`` of each, and,
when told, fails the next requests a predicate selects, the way a sick
server does::

    with HttpFaultProxy(shop.port) as proxy:          # listens on proxy.url
        proxy.fail('503', times=5, when=lambda method, path: '/orders/' in path)
        proxy.fail('timeout', times=2, hold=3)        # answered after the client gave up
        ...
        proxy.count('PATCH', '/stockrecords/')        # requests seen
        proxy.fail('hold', when=...); proxy.wait_holding(1); proxy.stop_failing()

Modes: ``'503'`` answers 503 Service Unavailable without forwarding (the
server is failing); ``'500'`` forwards the request, then answers 500 in
place of the server's answer (the work may be done, its answer is lost);
``'timeout'`` forwards the request, then holds the answer ``hold``
seconds (even after ``stop_failing()``; only leaving the ``with`` block
ends it) and closes the connection without a byte (the client's read
timeout must be shorter: the work is done, the client never hears it);
``'hold'`` forwards the request and keeps its answer until
``stop_failing()`` (a slow server: the client waits, its timeout must be
longer). Stdlib only, one thread per connection.
"""
import http.client
import http.server
import threading

MODES = ('503', '500', 'timeout', 'hold')
#: Request headers passed to the server, and answer headers passed back.
_REQUEST_HEADERS = ('authorization', 'content-type', 'accept')
_ANSWER_HEADERS = ('content-type', 'retry-after')


class HttpFaultProxy(object):
    """Forwards ``127.0.0.1:port`` to ``upstream_port``; counts and fails requests."""

    def __init__(self, upstream_port, upstream_host='127.0.0.1'):
        self.upstream = (upstream_host, upstream_port)
        self.lock = threading.Condition()  # notified when holding or a plan's count changes
        self.requests = []  # (method, path, status or mode) of each request
        self.failed = []  # (mode, method, path) of each failed request
        self.plan = None  # [mode, times left, predicate, hold, released event]
        self.holding = 0  # answers held now
        self.closing = threading.Event()  # set on exit: ends the 'timeout' holds
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={
            'poll_interval': 0.1}, name='http-fault-proxy', daemon=True)

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.port

    def fail(self, modes, times=1, when=None, hold=5):
        """Fail the next ``times`` requests ``when(method, path)`` selects (all if
        None), in ``modes`` (a mode, or several taken in turn)."""
        modes = (modes,) if isinstance(modes, str) else tuple(modes)
        unknown = [mode for mode in modes if mode not in MODES]
        if unknown or not modes:
            raise ValueError('modes %r: use %s' % (modes, ', '.join(MODES)))
        with self.lock:
            if self.plan is not None:
                self.plan[4].set()
            self.plan = [modes, times, when, hold, threading.Event()]

    def stop_failing(self):
        """Forward every request from now on; release the answers held."""
        with self.lock:
            plan, self.plan = self.plan, None
        if plan is not None:
            plan[4].set()

    def wait_holding(self, count=1, timeout=120):
        """Wait until ``count`` answers are held (mode ``hold``)."""
        with self.lock:
            if not self.lock.wait_for(lambda: self.holding >= count, timeout):
                raise AssertionError('%d answers held, not %d, after %ss; requests: %s' % (
                    self.holding, count, timeout, self.requests[-5:]))

    def wait_failed(self, timeout=300):
        """Wait until the current plan has failed all its requests."""
        with self.lock:
            if not self.lock.wait_for(lambda: not (self.plan and self.plan[1]), timeout):
                raise AssertionError('%d requests still to fail after %ss; failed: %s' % (
                    self.plan[1], timeout, self.failed))

    def fails_left(self):
        with self.lock:
            return self.plan[1] if self.plan else 0

    def count(self, method=None, path_part='', failed=None):
        """How many requests of ``method`` (any if None) with ``path_part`` in
        their path arrived; ``failed``: only the failed (True) or forwarded (False)."""
        with self.lock:
            rows = list(self.requests)
        return sum(1 for m, path, status in rows
                   if (method is None or m == method) and path_part in path
                   and (failed is None or failed == (status in MODES)))

    def _fate(self, method, path):
        """The mode this request fails in, or None; counts it down."""
        with self.lock:
            plan = self.plan
            selected = plan is not None and plan[1] > 0 and (
                plan[2] is None or plan[2](method, path))
            if not selected:
                return None, 0, None
            plan[1] -= 1
            self.lock.notify_all()
            mode = plan[0][len(self.failed) % len(plan[0])]
            self.failed.append((mode, method, path))
            return mode, plan[3], plan[4]

    def _record(self, method, path, status):
        with self.lock:
            self.requests.append((method, path, status))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.closing.set()
        self.stop_failing()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def _handler(self):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def _proxy(self):
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                method, path = self.command, self.path
                mode, hold, released = proxy._fate(method, path)
                proxy._record(method, path, mode or 'forwarded')
                if mode == '503':
                    self._answer(503, [('Content-Type', 'text/plain')],
                                 b'Service unavailable (fault proxy)\n')
                    return
                upstream = http.client.HTTPConnection(*proxy.upstream, timeout=120)
                try:
                    upstream.request(method, path, body or None, {
                        name: value for name, value in self.headers.items()
                        if name.lower() in _REQUEST_HEADERS})
                    answer = upstream.getresponse()
                    data = answer.read()
                finally:
                    upstream.close()
                if mode == '500':
                    self._answer(500, [('Content-Type', 'text/plain')],
                                 b'Internal server error (fault proxy)\n')
                elif mode == 'timeout':
                    # The client's read timeout is shorter: it gives up first. Not
                    # ended by stop_failing(): a test that stops failing once the
                    # last request was selected would close it before the client's
                    # timeout (the client would see a closed connection instead).
                    proxy.closing.wait(hold)
                    self.close_connection = True
                elif mode == 'hold':
                    with proxy.lock:
                        proxy.holding += 1
                        proxy.lock.notify_all()
                    released.wait()
                    with proxy.lock:
                        proxy.holding -= 1
                        proxy.lock.notify_all()
                    self._forward_answer(answer, data)
                else:
                    self._forward_answer(answer, data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _proxy  # noqa: N815

            def _forward_answer(self, answer, data):
                self._answer(answer.status, [
                    (name, value) for name, value in answer.getheaders()
                    if name.lower() in _ANSWER_HEADERS], data)

            def _answer(self, status, headers, data):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header('Content-Length', str(len(data)))
                self.send_header('Connection', 'close')
                self.end_headers()
                self.wfile.write(data)
                self.close_connection = True

            def log_message(self, *args):
                pass  # quiet: pytest shows the test's own output

        return Handler
