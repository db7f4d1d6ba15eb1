# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A real HTTP proxy that throttles its clients, as a rate-limited shop API does.

Put it between a client and an HTTP server (here: the example backend and
the remote Odoo): it forwards each request while fewer than ``per_second``
requests were forwarded in the last second, and answers the others
"429 Too Many Requests" with ``Retry-After`` without forwarding them::

    with ThrottlingProxy(remote_port, per_second=10) as proxy:   # on proxy.url
        ...
        assert proxy.throttled          # how many 429 it answered
        proxy.busiest_second()          # most requests forwarded within 1 s

Stdlib only (``http.server``, ``http.client``), one thread per connection.
"""
import collections
import http.client
import http.server
import threading
import time

#: Headers of the server's answer passed on to the client (the proxy sends
#: the whole body at once and closes the connection).
_PASSED_HEADERS = ('content-type',)


class ThrottlingProxy(object):
    """Forwards ``127.0.0.1:port`` to ``upstream_port``, at most ``per_second``
    requests per second; answers 429 with ``Retry-After: retry_after`` beyond."""

    def __init__(self, upstream_port, per_second, retry_after=1, upstream_host='127.0.0.1'):
        self.upstream = (upstream_host, upstream_port)
        self.per_second = per_second
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.forwarded = []  # time.time() of each forwarded request
        self.throttled = 0
        #: Refuse every Nth request too, whatever its rate (None: never): a remote
        #: shares its limit with its other clients. A test that must meet 429s
        #: sets it, so that a machine too busy to exceed ``per_second`` still
        #: shows them.
        self.refuse_every = None
        self.arrived = 0
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={
            'poll_interval': 0.1}, name='throttling-proxy', daemon=True)

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.port

    def admit(self):
        """Whether a request arriving now is forwarded (then counted) or throttled."""
        now = time.time()
        with self.lock:
            self.arrived += 1
            recent = [t for t in self.forwarded[-self.per_second:] if t > now - 1]
            if len(recent) >= self.per_second or (
                    self.refuse_every and self.arrived % self.refuse_every == 0):
                self.throttled += 1
                return False
            self.forwarded.append(now)
            return True

    def busiest_second(self):
        """The most requests forwarded within any second."""
        with self.lock:
            times = sorted(self.forwarded)
        window = collections.deque()
        best = 0
        for moment in times:
            window.append(moment)
            while window[0] <= moment - 1:
                window.popleft()
            best = max(best, len(window))
        return best

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def _handler(self):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the name http.server calls)
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                if not proxy.admit():
                    self._answer(429, [('Retry-After', str(proxy.retry_after)),
                                       ('Content-Type', 'text/plain')],
                                 b'Too many requests: at most %d per second\n'
                                 % proxy.per_second)
                    return
                upstream = http.client.HTTPConnection(*proxy.upstream, timeout=30)
                try:
                    upstream.request('POST', self.path, body, {
                        'Content-Type': self.headers.get('Content-Type', 'text/xml')})
                    answer = upstream.getresponse()
                    data = answer.read()
                    self._answer(answer.status, [
                        (name, value) for name, value in answer.getheaders()
                        if name.lower() in _PASSED_HEADERS], data)
                finally:
                    upstream.close()

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
