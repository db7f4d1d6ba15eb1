# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Events: subscription, replacement, gating, and the ORM firing them."""
from odoo.tests import common

from odoo.addons.connector import event as event_module
from odoo.addons.connector.event import (Event, on_record_create, on_record_unlink, on_record_write,
                                         skip_if_no_export)
from odoo.addons.connector.session import ConnectorSession

from .doctests import assert_doctests_pass


def in_addon(func, addon):
    """Make ``func`` look defined in ``addon`` (the event checks its __module__)."""
    func.__module__ = 'odoo.addons.%s.consumers' % addon
    return func


class TestEvent(common.TransactionCase):
    """The Event class on its own."""

    def setUp(self):
        super().setUp()
        self.session = ConnectorSession.from_env(self.env)
        self.event = Event()
        self.calls = []

    def consumer(self, label):
        def consume(session, model_name, *args, **kwargs):
            self.calls.append((label, model_name) + args)
        return consume

    def test_fire_calls_consumers_of_the_model(self):
        """A consumer for res.partner is called for it, not for another model."""
        self.event.subscribe(self.consumer('partner'), model_names=['res.partner'])
        self.event.fire(self.session, 'res.partner', 7, {'name': 'x'})
        self.event.fire(self.session, 'res.users', 8, {})
        self.assertEqual(self.calls, [('partner', 'res.partner', 7, {'name': 'x'})])

    def test_consumer_without_model_names_gets_every_model(self):
        """Without model_names, a consumer listens to all models."""
        self.event.subscribe(self.consumer('all'))
        self.event.fire(self.session, 'res.users', 8)
        self.assertEqual(self.calls, [('all', 'res.users', 8)])

    def test_model_names_may_be_a_string(self):
        """A single model name is accepted."""
        self.event.subscribe(self.consumer('one'), model_names='res.partner')
        self.assertTrue(self.event.has_consumer_for(self.session, 'res.partner'))
        self.assertFalse(self.event.has_consumer_for(self.session, 'res.partner.bank'))

    def test_unsubscribe(self):
        """An unsubscribed consumer is no longer called."""
        consumer = self.consumer('gone')
        self.event.subscribe(consumer, model_names=['res.partner', 'res.users'])
        self.event.unsubscribe(consumer, model_names=['res.partner'])
        self.assertFalse(self.event.has_consumer_for(self.session, 'res.partner'))
        self.assertTrue(self.event.has_consumer_for(self.session, 'res.users'))
        self.event.unsubscribe(consumer)
        self.event.fire(self.session, 'res.users', 1)
        self.assertEqual(self.calls, [])

    def test_decorator_forms(self):
        """@event and @event(model_names=...) both subscribe and return the function."""
        @self.event
        def everywhere(session, model_name, record_id):
            self.calls.append(('everywhere', model_name, record_id))

        @self.event(model_names=['res.partner'])
        def partners(session, model_name, record_id):
            self.calls.append(('partners', model_name, record_id))
        self.assertTrue(callable(everywhere) and callable(partners))
        self.event.fire(self.session, 'res.partner', 3)
        self.assertEqual(sorted(self.calls),
                         [('everywhere', 'res.partner', 3), ('partners', 'res.partner', 3)])

    def test_replacing_consumer(self):
        """A replacing consumer is called instead of the one it replaces."""
        original = self.consumer('original')
        self.event.subscribe(original, model_names=['res.partner'])
        self.event.subscribe(self.consumer('new'), model_names=['res.partner'],
                             replacing=original)
        self.event.fire(self.session, 'res.partner', 1)
        self.assertEqual(self.calls, [('new', 'res.partner', 1)])

    def test_replacement_from_uninstalled_addon_keeps_original(self):
        """Where the replacing consumer's addon is not installed, the original runs."""
        original = self.consumer('original')
        self.event.subscribe(original, model_names=['res.partner'])
        ghost = in_addon(self.consumer('ghost'), 'connector_ghost_addon')
        self.event.subscribe(ghost, model_names=['res.partner'], replacing=original)
        self.event.fire(self.session, 'res.partner', 1)
        self.assertEqual(self.calls, [('original', 'res.partner', 1)])

    def test_consumer_of_uninstalled_addon_is_not_called(self):
        """A consumer from an addon not installed in this database is skipped."""
        ghost = in_addon(self.consumer('ghost'), 'connector_ghost_addon')
        self.event.subscribe(ghost, model_names=['res.partner'])
        self.assertFalse(self.event.has_consumer_for(self.session, 'res.partner'))
        self.event.fire(self.session, 'res.partner', 1)
        self.assertEqual(self.calls, [])

    def test_skip_if_no_export(self):
        """skip_if_no_export ignores events of writes made by a synchronizer."""
        consumer = skip_if_no_export(self.consumer('export'))
        consumer(self.session, 'res.partner', 1, {})
        with self.session.change_context(connector_no_export=True):
            consumer(self.session, 'res.partner', 2, {})
        self.assertEqual(self.calls, [('export', 'res.partner', 1, {})])

    def test_docstring_examples(self):
        """The examples in the event module's docstrings run as written, with a real env."""
        assert_doctests_pass(event_module, extraglobs={'env': self.env})


class TestRecordEvents(common.TransactionCase):
    """The ORM fires on_record_create / write / unlink for every model."""

    def setUp(self):
        super().setUp()
        self.calls = []

        def on_create(session, model_name, record_id, vals):
            self.calls.append(('create', model_name, record_id, vals, session.env.uid))

        def on_write(session, model_name, record_id, vals):
            self.calls.append(('write', model_name, record_id, vals))

        def on_unlink(session, model_name, record_id):
            still_there = bool(session.env[model_name].browse(record_id).exists())
            self.calls.append(('unlink', model_name, record_id, still_there))
        for event, consumer in ((on_record_create, on_create), (on_record_write, on_write),
                                (on_record_unlink, on_unlink)):
            event.subscribe(consumer, model_names=['res.partner.category'])
            self.addCleanup(event.unsubscribe, consumer)
        self.category_model = self.env['res.partner.category']

    def test_create_fires_with_id_and_values(self):
        """Creating a record calls the consumer once with its id and the values."""
        category = self.category_model.create({'name': 'Wholesale'})
        self.assertEqual(self.calls, [('create', 'res.partner.category', category.id,
                                       {'name': 'Wholesale'}, self.env.uid)])

    def test_write_fires_once_per_record(self):
        """Writing two records calls the consumer for each, with the values given."""
        first = self.category_model.create({'name': 'Retail'})
        second = self.category_model.create({'name': 'Online'})
        del self.calls[:]
        (first | second).write({'active': False})
        self.assertEqual(self.calls, [
            ('write', 'res.partner.category', first.id, {'active': False}),
            ('write', 'res.partner.category', second.id, {'active': False})])

    def test_unlink_fires_before_deletion(self):
        """The unlink consumer runs while the record still exists."""
        category = self.category_model.create({'name': 'Dormant'})
        del self.calls[:]
        category.unlink()
        self.assertEqual(self.calls, [('unlink', 'res.partner.category', category.id, True)])
        self.assertFalse(category.exists())

    def test_other_models_do_not_fire(self):
        """A consumer for categories is not called for partners."""
        self.env['res.partner'].create({'name': 'Not a category'})
        self.assertEqual(self.calls, [])
