# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Events in a real database: the ORM firing them, and the module's examples.

Subscribing, replacing, skipping a synchronizer's writes and the gating by
installed addons are tested without a database in
``tests/unit/test_event.py``; the gating across two real databases in
``tests/integration/test_gating_across_databases.py``.
"""
from odoo.tests import common

from odoo.addons.connector import event as event_module
from odoo.addons.connector.event import on_record_create, on_record_unlink, on_record_write

from .doctests import assert_doctests_pass


class TestEventDocstrings(common.TransactionCase):
    """The examples of the event module need a real environment (the fast tier runs
    the others: ``tests/unit/test_doctests.py``)."""

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
