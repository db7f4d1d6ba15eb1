# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Events: consumers subscribed per model, replaced, and gated by installed addons.

A consumer defined outside an addon (here) is always called; one that
looks defined in an addon is called only where the fake environment's
registry says that addon is installed. How the ORM fires the record
events is tested under Odoo (connector/tests/test_event.py).
"""
from types import SimpleNamespace

import pytest

from odoo.addons.connector.event import Event, skip_if_no_export

from fakes import fake_env


@pytest.fixture
def calls():
    return []


@pytest.fixture
def event():
    return Event()


def consumer(calls, label, addon=None):
    def consume(session, model_name, *args, **kwargs):
        calls.append((label, model_name) + args)
    if addon:
        consume.__module__ = 'odoo.addons.%s.consumers' % addon
    return consume


def test_consumer_of_a_model_is_called_for_it_only(event, calls):
    """A consumer subscribed for res.partner is not called for res.users."""
    event.subscribe(consumer(calls, 'partner'), model_names=['res.partner'])
    event.fire(fake_env(), 'res.partner', 7, {'name': 'Acme'})
    event.fire(fake_env(), 'res.users', 8, {})
    assert calls == [('partner', 'res.partner', 7, {'name': 'Acme'})]


def test_consumers_are_called_in_subscription_order_model_ones_first(event, calls):
    """The model's consumers run in the order they subscribed, then the all-model ones."""
    event.subscribe(consumer(calls, 'everything'))
    event.subscribe(consumer(calls, 'first'), model_names='res.partner')
    event.subscribe(consumer(calls, 'second'), model_names='res.partner')
    event.fire(fake_env(), 'res.partner', 1)
    assert [call[0] for call in calls] == ['first', 'second', 'everything']


def test_subscribing_twice_calls_once(event, calls):
    """The same consumer subscribed twice for a model is called once."""
    once = consumer(calls, 'once')
    event.subscribe(once, model_names='res.partner')
    event.subscribe(once, model_names=['res.partner'])
    event.fire(fake_env(), 'res.partner', 1)
    assert calls == [('once', 'res.partner', 1)]


def test_decorator_forms_subscribe_and_return_the_function(event, calls):
    """@event and @event(model_names=...) both subscribe the function and give it back."""
    def everywhere(session, model_name, record_id):
        calls.append(('everywhere', model_name, record_id))
    assert event(everywhere) is everywhere
    partners = event(model_names=['res.partner'])(consumer(calls, 'partners'))
    assert callable(partners)
    event.fire(fake_env(), 'res.users', 3)
    assert calls == [('everywhere', 'res.users', 3)]


def test_unsubscribed_consumer_is_no_longer_called(event, calls):
    """unsubscribe() for some models keeps the others; without models removes it all."""
    gone = consumer(calls, 'gone')
    event.subscribe(gone, model_names=['res.partner', 'res.users'])
    event.unsubscribe(gone, model_names='res.partner')
    assert not event.has_consumer_for(fake_env(), 'res.partner')
    assert event.has_consumer_for(fake_env(), 'res.users')
    event.unsubscribe(gone)
    event.fire(fake_env(), 'res.users', 1)
    assert calls == []


def test_consumer_of_an_addon_runs_only_where_the_addon_is_installed(event, calls):
    """One process serves several databases: the registry of each decides."""
    event.subscribe(consumer(calls, 'shop', addon='shop_sync'), model_names='res.partner')
    event.fire(fake_env(installed=['connector']), 'res.partner', 1)
    assert not event.has_consumer_for(fake_env(installed=['connector']), 'res.partner')
    event.fire(fake_env(installed=['shop_sync']), 'res.partner', 2)
    assert calls == [('shop', 'res.partner', 2)]


def test_replacing_consumer_runs_instead_where_its_addon_is_installed(event, calls):
    """replacing=: the new consumer where its addon is installed, the original elsewhere."""
    original = consumer(calls, 'original')
    event.subscribe(original, model_names='res.partner')
    event.subscribe(consumer(calls, 'replacement', addon='shop_plus'),
                    model_names='res.partner', replacing=original)
    event.fire(fake_env(installed=['shop_plus']), 'res.partner', 1)
    event.fire(fake_env(), 'res.partner', 2)
    assert calls == [('replacement', 'res.partner', 1), ('original', 'res.partner', 2)]


def test_replacement_for_another_model_leaves_the_original(event, calls):
    """A replacement listening to other models does not silence the original here."""
    original = consumer(calls, 'original')
    event.subscribe(original, model_names='res.partner')
    event.subscribe(consumer(calls, 'users only'), model_names='res.users', replacing=original)
    event.fire(fake_env(), 'res.partner', 1)
    assert calls == [('original', 'res.partner', 1)]


def test_unsubscribed_replacement_no_longer_replaces_when_subscribed_again(event, calls):
    """Once the replacing consumer listens nowhere, it forgets what it replaced."""
    original = consumer(calls, 'original')
    replacement = consumer(calls, 'replacement')
    event.subscribe(original, model_names='res.partner')
    event.subscribe(replacement, model_names='res.partner', replacing=original)
    event.unsubscribe(replacement)
    event.fire(fake_env(), 'res.partner', 1)
    event.subscribe(replacement, model_names='res.partner')
    event.fire(fake_env(), 'res.partner', 2)
    assert calls == [('original', 'res.partner', 1), ('original', 'res.partner', 2),
                     ('replacement', 'res.partner', 2)]


def test_session_gives_its_env_to_the_gate(event, calls):
    """fire() accepts a ConnectorSession: its env's registry decides."""
    event.subscribe(consumer(calls, 'shop', addon='shop_sync'))
    session = SimpleNamespace(env=fake_env(installed=['shop_sync']))
    event.fire(session, 'res.partner', 5)
    assert calls == [('shop', 'res.partner', 5)]


def test_skip_if_no_export_ignores_the_synchronizers_writes(calls):
    """A write made with connector_no_export does not reach an export consumer."""
    export = skip_if_no_export(consumer(calls, 'export'))
    export(SimpleNamespace(context={}), 'res.partner', 1, {'name': 'x'})
    export(SimpleNamespace(context={'connector_no_export': True}), 'res.partner', 2, {})
    assert calls == [('export', 'res.partner', 1, {'name': 'x'})]
    assert export.__name__ == 'consume'
