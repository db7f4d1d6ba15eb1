# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The default Binder, with no code, on the test binding model."""
from odoo import fields

from odoo.addons.connector.exception import BindingError, InvalidDataError

from ..units import TestBinder
from .common import TestBackendCase


class TestBinderMethods(TestBackendCase):

    def setUp(self):
        super().setUp()
        self.binder = self.connector_env(self.backend_v1).get_connector_unit(TestBinder)
        self.partner = self.env['res.partner'].create({'name': 'Acme Corp'})
        self.binding = self.env['test.res.partner'].create({
            'openerp_id': self.partner.id, 'backend_id': self.backend_v1.id})
        self.binder.bind('C-17', self.binding)

    def test_bind_writes_external_id_and_sync_date(self):
        """bind() stores the external id as text and the synchronization date."""
        binding = self.env['test.res.partner'].create({
            'name': 'Globex', 'backend_id': self.backend_v1.id})
        before = fields.Datetime.now()
        self.binder.bind(42, binding.id)
        self.assertEqual(binding.external_id, '42')
        self.assertTrue(binding.sync_date)
        self.assertGreaterEqual(binding.sync_date, before)

    def test_bind_with_empty_external_id_is_refused(self):
        """An empty external id names the backend and the binding."""
        for empty in (None, '', '  '):
            with self.assertRaises(InvalidDataError) as caught:
                self.binder.bind(empty, self.binding)
            self.assertEqual(
                str(caught.exception),
                "Backend 'Shop One' (test.backend,%d): cannot bind test.res.partner [%d] to "
                "an empty external id %r. The remote system must return an id for the "
                "record; check the adapter of test.res.partner."
                % (self.backend_v1.id, self.binding.id, empty))
        self.assertEqual(self.binding.external_id, 'C-17')

    def test_bind_writes_with_no_export_key(self):
        """bind() marks its write so that it does not trigger an export."""
        seen = []
        binding_model = type(self.env['test.res.partner'])
        original = binding_model.write

        def spy(records, vals):
            seen.append(records.env.context.get('connector_no_export'))
            return original(records, vals)
        binding_model.write = spy
        try:
            self.binder.bind('C-18', self.binding)
        finally:
            binding_model.write = original
        self.assertEqual(seen, [True])

    def test_to_openerp_gives_binding_id(self):
        """to_openerp finds the binding id of an external id (int or text)."""
        self.assertEqual(self.binder.to_openerp('C-17'), self.binding.id)
        self.binder.bind(99, self.binding)
        self.assertEqual(self.binder.to_openerp(99), self.binding.id)

    def test_to_openerp_unwrap_and_browse(self):
        """unwrap gives the Odoo record, browse gives records instead of ids."""
        self.assertEqual(self.binder.to_openerp('C-17', unwrap=True), self.partner.id)
        self.assertEqual(self.binder.to_openerp('C-17', browse=True), self.binding)
        self.assertEqual(self.binder.to_openerp('C-17', unwrap=True, browse=True), self.partner)

    def test_unknown_external_id_gives_none(self):
        """An external id that is not bound gives None, or an empty recordset."""
        self.assertIsNone(self.binder.to_openerp('C-404'))
        self.assertIsNone(self.binder.to_openerp('C-404', unwrap=True))
        empty = self.binder.to_openerp('C-404', browse=True)
        self.assertEqual((empty._name, len(empty)), ('test.res.partner', 0))
        empty = self.binder.to_openerp('C-404', unwrap=True, browse=True)
        self.assertEqual((empty._name, len(empty)), ('res.partner', 0))

    def test_to_openerp_is_per_backend(self):
        """The same external id on another backend is another binding."""
        binder_v2 = self.connector_env(self.backend_v2).get_connector_unit(TestBinder)
        self.assertIsNone(binder_v2.to_openerp('C-17'))
        other = self.env['test.res.partner'].create({
            'openerp_id': self.partner.id, 'backend_id': self.backend_v2.id})
        binder_v2.bind('C-17', other)
        self.assertEqual(binder_v2.to_openerp('C-17'), other.id)
        self.assertEqual(self.binder.to_openerp('C-17'), self.binding.id)

    def test_to_openerp_finds_archived_bindings(self):
        """An archived partner's binding is still found: it must not be imported twice."""
        self.partner.active = False
        self.assertEqual(self.binder.to_openerp('C-17'), self.binding.id)

    def test_to_backend_with_binding_or_id(self):
        """to_backend gives the external id of a binding record or id."""
        self.assertEqual(self.binder.to_backend(self.binding), 'C-17')
        self.assertEqual(self.binder.to_backend(self.binding.id), 'C-17')

    def test_to_backend_wrap(self):
        """wrap=True looks the binding up from the Odoo record or id."""
        self.assertEqual(self.binder.to_backend(self.partner, wrap=True), 'C-17')
        self.assertEqual(self.binder.to_backend(self.partner.id, wrap=True), 'C-17')
        unbound = self.env['res.partner'].create({'name': 'Initech'})
        self.assertIsNone(self.binder.to_backend(unbound, wrap=True))

    def test_to_backend_of_unbound_binding_is_none(self):
        """A binding without an external id yet (before its export) gives None."""
        binding = self.env['test.res.partner'].create({
            'name': 'Hooli', 'backend_id': self.backend_v1.id})
        self.assertIsNone(self.binder.to_backend(binding))

    def test_record_of_another_model_is_refused(self):
        """Giving a res.partner where a binding is expected names both models."""
        with self.assertRaises(BindingError) as caught:
            self.binder.to_backend(self.partner)
        self.assertEqual(
            str(caught.exception),
            "Binder of test.res.partner on backend 'Shop One' (test.backend,%d) was given "
            "res.partner(%d,), a record of res.partner: it expects a test.res.partner "
            "record or id." % (self.backend_v1.id, self.partner.id))
        with self.assertRaises(BindingError):
            self.binder.to_backend(self.binding, wrap=True)
        with self.assertRaises(BindingError):
            self.binder.bind('C-20', self.partner)
        with self.assertRaises(BindingError):
            self.binder.unwrap_binding(self.partner)

    def test_unwrap_binding(self):
        """unwrap_binding gives the wrapped record's id, or the record with browse."""
        self.assertEqual(self.binder.unwrap_binding(self.binding), self.partner.id)
        self.assertEqual(self.binder.unwrap_binding(self.binding.id), self.partner.id)
        self.assertEqual(self.binder.unwrap_binding(self.binding, browse=True), self.partner)

    def test_unwrap_model(self):
        """unwrap_model names the model the binding model wraps."""
        self.assertEqual(self.binder.unwrap_model(), 'res.partner')

    def test_unwrap_model_without_openerp_field(self):
        """A binder pointed at a model without openerp_id explains the convention."""
        class NoWrapBinder(TestBinder):
            _openerp_field = 'wrapped_id'
        binder = NoWrapBinder(self.connector_env(self.backend_v1))
        with self.assertRaises(BindingError) as caught:
            binder.unwrap_model()
        self.assertIn("Cannot unwrap model test.res.partner: it has no field 'wrapped_id'",
                      str(caught.exception))
