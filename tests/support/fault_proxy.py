# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A real TCP proxy that breaks HTTP answers on command, for end-to-end fault tests.

Put it between a client and an HTTP server (here: the example backend and
the remote Odoo); it forwards bytes both ways, one thread per connection,
and, when told, breaks the answers of some connections the way a server
dying mid-response does::

    with FaultProxy(remote_port) as proxy:            # listens on proxy.url
        proxy.cut('headers', times=10, every=3)      # 10 answers, one in three
        ...
        proxy.hold()                                 # keep the next answer's body
        proxy.wait_held()
        remote_server.kill()
        proxy.release(cut=True)                      # the client sees it die

Ways to break an answer (``mode``), decided when its first byte arrives
(the server got the whole request and did the work):

- ``close``: close the client's connection without a byte of answer;
- ``reset``: the same with a TCP reset;
- ``headers``: forward the status line and headers, then close;
- ``partial``: forward the headers and half of the body, then close;
- ``hold``: forward the headers, keep the body until ``release()``.

A connection whose server cannot be reached is reset (the client meets a
reset, as behind a real load balancer). Stdlib only.
"""
import re
import select
import socket
import struct
import threading

MODES = ('close', 'reset', 'headers', 'partial', 'hold')


class FaultProxy(object):
    """Forwards ``127.0.0.1:port`` to ``upstream_port``; breaks answers when told."""

    def __init__(self, upstream_port, upstream_host='127.0.0.1'):
        self.upstream = (upstream_host, upstream_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)  # accept() wakes up to see ``closing``
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.released = threading.Condition(self.lock)
        self.held_more = threading.Condition(self.lock)  # notified when an answer is held
        self.plan = None  # [modes, cuts left, every, matching answers, predicate]
        self.held = 0
        self.release_as = None  # None while holding; then 'cut' or 'forward'
        self.answers = 0
        self.broken = []  # (mode, first line of the request body) of each broken answer
        self.refused = 0
        self.closing = False
        self.threads = []
        self.acceptor = threading.Thread(target=self._accept, name='fault-proxy', daemon=True)

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.port

    # -- commands -----------------------------------------------------------

    def cut(self, modes, times=1, every=1, when=None):
        """Break ``times`` answers, one in ``every`` answers to the requests ``when``
        selects, from now on; in ``modes`` (a mode, or several taken in turn).

        ``when``: None (every request), ``'model.method'`` (XML-RPC calls of
        it), or a predicate on the request's bytes.
        """
        modes = (modes,) if isinstance(modes, str) else tuple(modes)
        unknown = [mode for mode in modes if mode not in MODES]
        if unknown or not modes:
            raise ValueError('modes %r: use %s' % (modes, ', '.join(MODES)))
        if isinstance(when, str):
            when = _calling(when)
        with self.lock:
            self.plan = [modes, times, every, 0, when]
            if 'hold' in modes:
                self.release_as = None

    def hold(self, times=1, when=None):
        """Keep the body of the next ``times`` answers until ``release()``."""
        self.cut('hold', times, 1, when)

    def wait_held(self, count=1, timeout=30):
        """Wait until ``count`` answers are held."""
        with self.lock:
            if not self.held_more.wait_for(lambda: self.held >= count, timeout):
                raise AssertionError('the proxy held %d answers, not %d, in %s s'
                                     % (self.held, count, timeout))

    def release(self, cut=True):
        """Close the held answers (``cut``) or forward them whole."""
        with self.lock:
            self.release_as = 'cut' if cut else 'forward'
            self.plan = None
            self.released.notify_all()

    def stop_cutting(self):
        with self.lock:
            self.plan = None

    @property
    def cuts_left(self):
        with self.lock:
            return self.plan[1] if self.plan else 0

    # -- life ---------------------------------------------------------------

    def start(self):
        self.acceptor.start()
        return self

    def close(self):
        self.closing = True
        self.release(cut=True)
        self.listener.close()
        self.acceptor.join(5)
        for thread in self.threads:
            thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    # -- work ---------------------------------------------------------------

    def _accept(self):
        while not self.closing:
            try:
                client, _address = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            client.settimeout(None)
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            self.threads = [t for t in self.threads if t.is_alive()] + [thread]
            thread.start()

    def _fate(self, request):
        """The mode in which to break the answer to ``request``, or None."""
        with self.lock:
            self.answers += 1
            plan = self.plan
            if not plan or (plan[4] is not None and not plan[4](request)):
                return None
            plan[3] += 1
            if plan[3] % plan[2]:
                return None
            modes = plan[0]
            mode = modes[(plan[3] // plan[2] - 1) % len(modes)]
            plan[1] -= 1
            if plan[1] <= 0:
                self.plan = None
            self.broken.append((mode, _method_of(request)))
            return mode

    def _serve(self, client):
        try:
            upstream = socket.create_connection(self.upstream, timeout=10)
        except OSError:
            with self.lock:
                self.refused += 1
            _reset(client)
            return
        request, answer, fate = b'', b'', None
        open_ends = [client, upstream]
        try:
            while open_ends and not self.closing:
                readable, _w, _x = select.select(open_ends, [], [], 0.2)
                for sock in readable:
                    data = sock.recv(65536)
                    if sock is client:
                        if not data:
                            open_ends.remove(client)
                            upstream.shutdown(socket.SHUT_WR)
                            continue
                        request += data
                        upstream.sendall(data)
                        continue
                    if not data:  # the server closed: pass the close on
                        return
                    if fate is None and not answer:
                        fate = self._fate(request) or 'forward'
                    if fate == 'forward':
                        client.sendall(data)
                        continue
                    answer += data
                    if self._break(client, upstream, fate, answer):
                        return
        except OSError:
            pass
        finally:
            client.close()
            upstream.close()

    def _break(self, client, upstream, fate, answer):
        """Apply ``fate`` to the answer received so far; True once the client is done."""
        if fate == 'close':
            return True
        if fate == 'reset':
            _reset(client)
            return True
        end = answer.find(b'\r\n\r\n')
        if end < 0:
            return False  # the headers are not all here yet
        head, body = answer[:end + 4], answer[end + 4:]
        if fate == 'headers':
            client.sendall(head)
            return True
        if fate == 'partial':
            match = re.search(br'content-length:\s*(\d+)', head, re.I)
            length = int(match.group(1)) if match else 2 * len(body)
            if len(body) < length // 2:
                return False
            client.sendall(head + body[:length // 2])
            return True
        # hold: the headers now, the body when released
        client.sendall(head)
        with self.lock:
            self.held += 1
            self.held_more.notify_all()
            while self.release_as is None and not self.closing:
                self.released.wait(0.2)
            release_as = self.release_as
            self.held -= 1
        if release_as == 'forward':
            client.sendall(body)
            _forward_rest(upstream, client)
        return True


def _forward_rest(source, target):
    while True:
        data = source.recv(65536)
        if not data:
            return
        target.sendall(data)


def _reset(sock):
    """Close with a TCP reset instead of an orderly shutdown."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    finally:
        sock.close()


def _calling(model_method):
    """A predicate on requests: true for XML-RPC calls of ``model_method``."""
    return lambda request: _method_of(request) == model_method


def _method_of(request):
    """What an XML-RPC request calls: ``model.method`` for ``execute_kw``, else the method."""
    names = re.findall(br'<methodName>([^<]*)</methodName>', request)
    method = names[0].decode() if names else '?'
    strings = re.findall(br'<string>([^<]*)</string>', request)
    if method == 'execute_kw' and len(strings) >= 4:  # database, password, model, method
        return '%s.%s' % (strings[2].decode(), strings[3].decode())
    return method
