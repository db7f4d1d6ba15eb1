# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: webhook deliveries to the local Odoo's HTTP server.

A real ``odoo-bin`` serves the pytest database (``support.webhooks``);
deliveries are posted over a socket; what each one stored is judged by
database rows (jobs, delivery rows). Each refused delivery is otherwise
valid (signed with the backend's secret, on time, a known event), so that
only the check under test can refuse it: without that check it would be
accepted and store a job.
"""
import base64
import os
import socket
import threading
import time
import urllib.request
import uuid

import pytest

from odoo.addons.connector.jobrunner.metrics import parse_metrics
from odoo.addons.connector.webhook import generate_secret, sign

from devkit.remote_odoo import RemoteOdoo
from support.example import BINDING, bindings, last_job_id, local_env, wait_jobs_done
from support.jobrunner import FAST, db_name, query, wait_until
from support.webhooks import counters, event_body, local_odoo, post, signed, stored, webhook_path


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='module')
def remote_server(venv_python):
    """The remote Odoo process (support.example's, with the webhook sender addon on its
    path); one database per test."""
    server = RemoteOdoo('connector_test_remote_wh_%d' % os.getpid(), python=venv_python,
                        db_filter='.*', with_sender=True)
    with server:
        yield server


@pytest.fixture(scope='module')
def local_server():
    """The local Odoo serving HTTP on the pytest database."""
    server = local_odoo()  # not a context manager: it never recreates the database
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope='module')
def webhook_user():
    """A Connector Manager who may edit partners: not the administrator."""
    with local_env() as env:
        user = env['res.users'].search([('login', '=', 'webhook-e2e')])
        if not user:
            user = env['res.users'].create({
                'name': 'Webhook jobs', 'login': 'webhook-e2e',
                'groups_id': [(6, 0, [env.ref('base.group_user').id,
                                      env.ref('base.group_partner_manager').id,
                                      env.ref('connector.group_connector_manager').id])]})
        return user.id


@pytest.fixture
def hooked(backend, webhook_user):
    """``(backend id, secret)``: the test's backend with a webhook secret."""
    with local_env() as env:
        record = env['example.backend'].browse(backend)
        record.webhook_user_id = webhook_user
        record.action_generate_webhook_secret()
        secret = record.webhook_secret
    yield backend, secret
    query("DELETE FROM connector_webhook_delivery WHERE backend_model = 'example.backend' "
          "AND backend_id = %s", (backend,))


def _new_id():
    return 'msg_%s' % uuid.uuid4().hex


def _good(secret, remote_id=7, event_type='partner.updated'):
    body = event_body(event_type, remote_id)
    return body, signed(secret, body, _new_id())


# -- accepted ------------------------------------------------------------------


def test_pushed_change_is_imported_by_a_job_of_the_backend_user(
        local_server, remote, hooked, webhook_user, workers):
    """A partner created on the remote, pushed: imported here, by the webhook user's job."""
    backend_id, secret = hooked
    remote_id = remote.client.execute('res.partner', 'create',
                                      {'name': 'Webhook Co' + remote.suffix})
    first = last_job_id()
    body, headers = _good(secret, remote_id, 'partner.created')

    status, answer = post(local_server, webhook_path(backend_id), body, headers)

    assert (status, answer['status']) == (202, 'accepted'), answer
    [(uuid_, user_id, channel)] = query(
        'SELECT uuid, user_id, channel FROM queue_job WHERE id > %s', (first,))
    assert answer['jobs'] == [uuid_]
    assert user_id == webhook_user, 'the job runs as the backend user, not as admin'
    workers.start('webhook-a', *FAST)
    wait_jobs_done(first, 60, workers)
    assert str(remote_id) in bindings(backend_id)


def test_burst_of_events_about_one_partner_stores_one_job(local_server, hooked):
    """Five deliveries (distinct ids) about one partner while its job is pending: one job."""
    backend_id, secret = hooked
    first = last_job_id()
    answers = [post(local_server, webhook_path(backend_id), *_good(secret, 4242))
               for _i in range(5)]
    assert [status for status, _a in answers] == [202] * 5
    assert stored(backend_id, first) == (1, 5)


# -- refused: each the right 4xx, nothing stored -----------------------------------

def _refusals(secret):
    """name -> (body, headers, expected status, reason) of deliveries refused by one check."""
    now = int(time.time())
    body = event_body('partner.updated', 7)
    cases = {}
    forged = signed(secret, body, _new_id())
    forged['webhook-signature'] = 'v1,' + base64.b64encode(os.urandom(32)).decode()
    cases['forged_signature'] = (body, forged, 401, 'bad_signature')
    cases['wrong_secret'] = (body, signed(generate_secret(), body, _new_id()), 401,
                             'bad_signature')
    cases['stale_timestamp'] = (body, signed(secret, body, _new_id(), now - 400), 400,
                                'stale_timestamp')
    cases['future_timestamp'] = (body, signed(secret, body, _new_id(), now + 400), 400,
                                 'future_timestamp')
    large = event_body('partner.updated', 7, padding='x' * (300 * 1024))
    cases['oversized_body'] = (large, signed(secret, large, _new_id()), 413, 'too_large')
    malformed = b'{"type": "partner.updated", "data": {"id": 7}'
    cases['malformed_json'] = (malformed, signed(secret, malformed, _new_id()), 400,
                               'malformed_json')
    unknown = event_body('order.paid', 7)
    cases['unknown_event_type'] = (unknown, signed(secret, unknown, _new_id()), 422,
                                   'unknown_event_type')
    no_id = signed(secret, body, _new_id())
    del no_id['webhook-id']
    cases['missing_header'] = (body, no_id, 400, 'missing_headers')
    return cases


REFUSALS = ['forged_signature', 'wrong_secret', 'stale_timestamp', 'future_timestamp',
            'oversized_body', 'malformed_json', 'unknown_event_type', 'missing_header']


@pytest.mark.parametrize('case', REFUSALS)
def test_refused_delivery_stores_nothing_and_is_counted(local_server, hooked, case):
    """Each bad delivery: its 4xx with a reason and a message, 0 jobs, 0 delivery rows,
    one more refusal of that reason in the counters."""
    backend_id, secret = hooked
    body, headers, want_status, want_reason = _refusals(secret)[case]
    first = last_job_id()
    before = counters()

    status, answer = post(local_server, webhook_path(backend_id), body, headers)

    assert (status, answer['error']) == (want_status, want_reason), answer
    assert answer['message']
    assert stored(backend_id, first) == (0, 0)
    assert counters().get(want_reason, 0) == before.get(want_reason, 0) + 1


def test_unknown_backend_is_404_and_stores_nothing(local_server, hooked):
    """A backend id that does not exist, or a model that is no backend: 404."""
    backend_id, secret = hooked
    body, headers = _good(secret)
    first = last_job_id()
    for path in (webhook_path(backend_id + 100000), webhook_path(backend_id, 'res.partner'),
                 webhook_path(backend_id, 'no.such.model')):
        status, answer = post(local_server, path, body, headers)
        assert (status, answer['error']) == (404, 'unknown_backend'), (path, answer)
    assert stored(backend_id, first) == (0, 0)


def test_replayed_delivery_stores_nothing_even_after_its_job_is_done(local_server, hooked):
    """The same delivery again: 200 duplicate; again once its job is done (the job's
    identity key alone would store a second job then): still one job."""
    backend_id, secret = hooked
    body, headers = _good(secret, 555)
    first = last_job_id()
    assert post(local_server, webhook_path(backend_id), body, headers)[0] == 202
    status, answer = post(local_server, webhook_path(backend_id), body, headers)
    assert (status, answer['status']) == (200, 'duplicate')
    query("UPDATE queue_job SET state = 'done', date_done = now() at time zone 'UTC' "
          "WHERE id > %s", (first,))
    status, answer = post(local_server, webhook_path(backend_id), body, headers)
    assert (status, answer['status']) == (200, 'duplicate')
    assert stored(backend_id, first) == (1, 1)


def test_same_delivery_sent_five_times_at_once_stores_one_job(local_server, hooked):
    """Five concurrent requests with one webhook id: all 2xx, one accepted, one job."""
    backend_id, secret = hooked
    body, headers = _good(secret, 777)
    first = last_job_id()
    barrier = threading.Barrier(5)
    results = []

    def send():
        barrier.wait()
        results.append(post(local_server, webhook_path(backend_id), body, headers))

    threads = [threading.Thread(target=send) for _i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    statuses = sorted(status for status, _answer in results)
    assert statuses == [200, 200, 200, 200, 202], results
    assert stored(backend_id, first) == (1, 1)


def test_rotated_secret_is_accepted_during_the_window_only(local_server, hooked):
    """After a new secret: old and new both accepted; once the window has passed,
    the old one is refused (401) and stores nothing."""
    backend_id, old = hooked
    with local_env() as env:
        record = env['example.backend'].browse(backend_id)
        record.action_generate_webhook_secret()
        new = record.webhook_secret
    assert new != old
    path = webhook_path(backend_id)
    assert post(local_server, path, *_good(old, 1001))[0] == 202
    assert post(local_server, path, *_good(new, 1002))[0] == 202
    # the rotation period ends (moved instead of waited for)
    query("UPDATE example_backend SET webhook_previous_until = now() at time zone 'UTC' "
          "- interval '1 second' WHERE id = %s", (backend_id,))
    first = last_job_id()
    status, answer = post(local_server, path, *_good(old, 1003))
    assert (status, answer['error']) == (401, 'bad_signature')
    assert stored(backend_id, first)[0] == 0
    assert post(local_server, path, *_good(new, 1004))[0] == 202


def test_a_thousand_bad_requests_store_nothing_and_a_good_one_still_passes(
        local_server, hooked):
    """1,000 refused deliveries of every kind: no 5xx, no job, no delivery row; then a
    good delivery is still accepted and stores its job and its row."""
    backend_id, secret = hooked
    path = webhook_path(backend_id)
    for remote_id in (2001, 2002, 2003):
        assert post(local_server, path, *_good(secret, remote_id))[0] == 202
    first = last_job_id()
    deliveries = stored(backend_id, first)[1]
    statuses = {}
    cases = list(_refusals(secret).values())
    for number in range(1000):
        body, headers, _status, _reason = cases[number % len(cases)]
        if number % len(cases) == 0:
            cases = list(_refusals(secret).values())  # fresh ids and timestamps
        status, _answer = post(local_server, path, body, headers)
        statuses[status] = statuses.get(status, 0) + 1
    assert not [s for s in statuses if s >= 500 or s < 400], statuses
    assert stored(backend_id, first) == (0, deliveries)
    # (no bound on its time: this machine's load decides it, not the route)
    assert post(local_server, path, *_good(secret, 2004))[0] == 202, statuses
    assert stored(backend_id, first) == (1, deliveries + 1)


def test_refusal_log_names_the_backend_and_never_the_secret_or_body(local_server, hooked):
    """The warning of a refusal says backend, reason; not the secret, not the body."""
    backend_id, secret = hooked
    marker = 'Confidential-%s' % uuid.uuid4().hex
    body = event_body('partner.updated', 7, note=marker)
    headers = signed(secret, body, _new_id())
    headers['webhook-signature'] = sign(generate_secret(), 'x', 1, body)
    start = os.path.getsize(local_server.log_path)
    assert post(local_server, webhook_path(backend_id), body, headers)[0] == 401

    def logged():
        with open(local_server.log_path, errors='replace') as fh:
            fh.seek(start)
            lines = [line for line in fh if 'refused' in line]
        return lines or None
    lines = wait_until(logged, 10, 'no refusal logged in %s' % local_server.log_path)
    text = ''.join(lines)
    assert 'example.backend,%d' % backend_id in text and 'bad_signature' in text
    assert secret not in text and secret[6:] not in text and marker not in text


def test_binding_model_of_the_jobs_is_the_example_binding(local_server, hooked):
    """The accepted delivery's job is an import of the example binding, in the
    backend's channel routing (the usual import job)."""
    backend_id, secret = hooked
    first = last_job_id()
    assert post(local_server, webhook_path(backend_id), *_good(secret, 3001))[0] == 202
    [(model_name, func)] = query('SELECT model_name, func_string FROM queue_job WHERE id > %s',
                                 (first,))
    assert model_name == BINDING and 'import_record' in func


def test_runner_metrics_count_deliveries_by_outcome(local_server, hooked, workers):
    """connector_webhook_deliveries_total{outcome} of a worker's /metrics is the route's
    count: one more accepted, one more bad_signature after one of each."""
    backend_id, secret = hooked
    body, headers = _good(secret, 4001)
    assert post(local_server, webhook_path(backend_id), body, headers)[0] == 202
    headers['webhook-signature'] = sign(generate_secret(), headers['webhook-id'], 1, body)
    assert post(local_server, webhook_path(backend_id), body, headers)[0] == 401
    port = free_port()
    workers.start('webhook-metrics', *(FAST + ['--metrics-port', str(port)]))

    def scrape():  # the endpoint listens a moment after the worker registers
        try:
            with urllib.request.urlopen('http://127.0.0.1:%d/metrics' % port,
                                        timeout=10) as answer:
                return parse_metrics(answer.read().decode('utf-8'))
        except OSError:
            return None
    metrics = wait_until(scrape, 30, 'no metrics on port %d' % port)
    expected = counters()
    for outcome in ('accepted', 'bad_signature'):
        key = ('connector_webhook_deliveries_total', ('database', db_name()),
               ('outcome', outcome))
        assert metrics.get(key) == expected[outcome] >= 1, (outcome, expected, sorted(
            k for k in metrics if k[0].startswith('connector_webhook')))


# -- the remote's sender ---------------------------------------------------------

def _sender(remote, local_server, backend_id, secret):
    """Install the sender on the test's remote database, pointed at the backend."""
    remote.server.install_webhook_sender(remote.database)
    remote.client.execute('webhook.sender', 'create', {
        'name': 'Local Odoo', 'url': local_server.url + webhook_path(backend_id),
        'secret': secret, 'timeout': 5})


def _deliveries(remote):
    return remote.client.execute('webhook.delivery', 'search_read', [], fields=[
        'event_type', 'partner_id', 'state', 'attempts', 'last_status'], order='id')


def test_remote_change_is_pushed_and_imported_without_polling(
        local_server, remote, hooked, workers):
    """A partner created, then renamed on the remote: the sender posts each change after
    commit, the jobs import it; no import_partners (delta) is run."""
    backend_id, secret = hooked
    _sender(remote, local_server, backend_id, secret)
    workers.start('webhook-push', *FAST)
    partner = remote.client.execute('res.partner', 'create', {'name': 'Pushed Ltd'})

    def imported(name):
        return lambda: any(row[1] == name for row in bindings(backend_id).values()) or None
    wait_until(imported('Pushed Ltd'), 60, lambda: 'not imported: %s' % _deliveries(remote))
    remote.client.execute('res.partner', 'write', [partner], {'name': 'Pushed Renamed Ltd'})
    wait_until(imported('Pushed Renamed Ltd'), 60,
               lambda: 'rename not imported: %s' % _deliveries(remote))
    # the sender marks a delivery sent once it has read the 202 (and commits after its
    # batch), while the job it stored here may already have run: wait for the rows
    wanted = [('partner.created', 'sent'), ('partner.updated', 'sent')]
    wait_until(lambda: [(d['event_type'], d['state']) for d in _deliveries(remote)] == wanted,
               60, lambda: 'deliveries not marked sent: %s' % _deliveries(remote))


def test_sender_retries_while_the_local_server_is_down_then_the_change_arrives(
        local_server, remote, hooked, workers):
    """Local Odoo stopped: the delivery is tried again with back-off (connection
    refused, still pending); once the server is back, the partner is imported."""
    backend_id, secret = hooked
    _sender(remote, local_server, backend_id, secret)
    workers.start('webhook-retry', *FAST)
    local_server.stop()
    try:
        remote.client.execute('res.partner', 'create', {'name': 'Patient Partner'})
        tried = wait_until(lambda: [d for d in _deliveries(remote) if d['attempts'] >= 2],
                           60, lambda: 'no retry: %s' % _deliveries(remote))
        assert tried[0]['state'] == 'pending' and 'Error' in tried[0]['last_status'], tried
    finally:
        local_server.start()
    # the next try comes after the back-off (1, 2, 4... s) grown while the server was
    # down: what fails the test is no new try for 90 s, not the total time
    wait_until(lambda: any(row[1] == 'Patient Partner'
                           for row in bindings(backend_id).values()) or None,
               90, lambda: 'not imported after the restart: %s' % _deliveries(remote),
               progress=lambda: sum(d['attempts'] for d in _deliveries(remote)))
    # marked sent by the sender after it read the 202, maybe after the import ran
    wait_until(lambda: [d['state'] for d in _deliveries(remote)] == ['sent'], 60,
               lambda: 'delivery not marked sent: %s' % _deliveries(remote))
