# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""external.binding: one binding per external id and per Odoo record, per backend."""
import psycopg2
from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import TestBackendCase


class TestBindingUniqueness(TestBackendCase):

    def setUp(self):
        super().setUp()
        self.partner = self.env['res.partner'].create({'name': 'Acme Corp'})
        self.binding = self.env['test.res.partner'].create({
            'openerp_id': self.partner.id, 'backend_id': self.backend_v1.id,
            'external_id': 'C-17'})

    def test_same_external_id_twice_is_refused(self):
        """A second binding of the same external id on a backend is a ValidationError."""
        other = self.env['res.partner'].create({'name': 'Globex'})
        with self.assertRaises(ValidationError) as caught:
            self.env['test.res.partner'].create({
                'openerp_id': other.id, 'backend_id': self.backend_v1.id,
                'external_id': 'C-17'})
        self.assertEqual(
            caught.exception.name,
            "Backend 'Shop One' (test.backend): the external id 'C-17' is already bound by "
            "test.res.partner,%d; it can be bound only once per backend. Use the "
            "existing binding, or unbind it first." % self.binding.id)

    def test_same_record_twice_is_refused(self):
        """A second binding of the same Odoo record on a backend is a ValidationError."""
        with self.assertRaises(ValidationError) as caught:
            self.env['test.res.partner'].create({
                'openerp_id': self.partner.id, 'backend_id': self.backend_v1.id,
                'external_id': 'C-18'})
        self.assertIn("the Odoo record 'Acme Corp' is already bound by test.res.partner,%d"
                      % self.binding.id, caught.exception.name)

    def test_create_called_on_bound_records_checks_like_any_create(self):
        """``bindings.create()`` on a recordset: no singleton error, and its own
        records are not left out of the duplicate search."""
        other = self.env['test.res.partner'].create({
            'name': 'Globex', 'backend_id': self.backend_v1.id, 'external_id': 'C-18'})
        several = self.binding | other
        third = several.create({'name': 'Initech', 'backend_id': self.backend_v1.id,
                                'external_id': 'C-19'})
        self.assertEqual(third.external_id, 'C-19')
        with self.assertRaises(ValidationError) as caught:
            self.binding.create({'name': 'Umbrella', 'backend_id': self.backend_v1.id,
                                 'external_id': 'C-17'})
        self.assertIn("the external id 'C-17' is already bound by test.res.partner,%d"
                      % self.binding.id, caught.exception.name)

    def test_write_to_a_bound_external_id_is_refused(self):
        """Writing an external id already used on the backend is refused too."""
        other = self.env['test.res.partner'].create({
            'name': 'Globex', 'backend_id': self.backend_v1.id, 'external_id': 'C-18'})
        with self.assertRaises(ValidationError):
            other.write({'external_id': 'C-17'})

    def test_other_backend_may_bind_the_same_ids(self):
        """The rules hold per backend: another backend binds the same id and record."""
        binding = self.env['test.res.partner'].create({
            'openerp_id': self.partner.id, 'backend_id': self.backend_v2.id,
            'external_id': 'C-17'})
        self.assertEqual(binding.openerp_id, self.partner)

    def test_several_unexported_bindings_are_allowed(self):
        """Bindings without an external id yet (awaiting export) do not collide."""
        model = self.env['test.res.partner']
        first = model.create({'name': 'Globex', 'backend_id': self.backend_v1.id})
        second = model.create({'name': 'Initech', 'backend_id': self.backend_v1.id})
        self.assertFalse(first.external_id or second.external_id)

    @mute_logger('odoo.sql_db')
    def test_database_enforces_unique_external_id(self):
        """Even past the ORM (concurrent transactions), the unique index refuses a duplicate."""
        other = self.env['res.partner'].create({'name': 'Globex'})
        with self.assertRaises(psycopg2.IntegrityError) as caught, self.env.cr.savepoint():
            self.env.cr.execute(
                "INSERT INTO test_res_partner (openerp_id, backend_id, external_id) "
                "VALUES (%s, %s, 'C-17')", (other.id, self.backend_v1.id))
        self.assertIn('test_res_partner_backend_external_uniq', str(caught.exception))

    @mute_logger('odoo.sql_db')
    def test_database_enforces_one_binding_per_record(self):
        """The unique index refuses a second binding of one record on one backend."""
        with self.assertRaises(psycopg2.IntegrityError) as caught, self.env.cr.savepoint():
            self.env.cr.execute(
                "INSERT INTO test_res_partner (openerp_id, backend_id, external_id) "
                "VALUES (%s, %s, 'C-99')", (self.partner.id, self.backend_v1.id))
        self.assertIn('test_res_partner_backend_openerp_uniq', str(caught.exception))

    def test_unique_indexes_are_created_by_the_framework(self):
        """The binding model declares no constraint; external.binding adds both indexes."""
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'test_res_partner' "
            "AND indexname LIKE '%%_uniq' ORDER BY indexname")
        self.assertEqual(self.env.cr.fetchall(), [
            ('test_res_partner_backend_external_uniq',
             'CREATE UNIQUE INDEX test_res_partner_backend_external_uniq ON '
             'public.test_res_partner USING btree (backend_id, external_id)'),
            ('test_res_partner_backend_openerp_uniq',
             'CREATE UNIQUE INDEX test_res_partner_backend_openerp_uniq ON '
             'public.test_res_partner USING btree (backend_id, openerp_id)'),
        ])
