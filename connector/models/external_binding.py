# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import sql


class ExternalBinding(models.AbstractModel):
    """Base of the binding models: the link between an Odoo record and an
    external record of one backend.

    By convention a binding model ``_inherits`` the Odoo model through
    ``openerp_id`` and has a ``backend_id`` Many2one to the backend model
    and an ``external_id`` Char. For every model inheriting this one, the
    framework guarantees with unique indexes (which also serve the binder's
    lookups) that:

    - an external id is bound at most once per backend;
    - an Odoo record has at most one binding per backend.
    """

    _name = 'external.binding'
    _description = 'External Binding (abstract)'

    sync_date = fields.Datetime(string='Last synchronization date')

    # One unique index per rule: (index suffix, columns, rule label).
    _binding_unique_indexes = [
        ('backend_external_uniq', ('backend_id', 'external_id'), 'external id'),
        ('backend_openerp_uniq', ('backend_id', 'openerp_id'), 'Odoo record'),
    ]

    @api.model_cr_context
    def _auto_init(self):
        result = super()._auto_init()
        if self._abstract or not self._auto:
            return result
        for suffix, columns, _label in self._binding_unique_indexes:
            if not all(sql.column_exists(self.env.cr, self._table, col) for col in columns):
                continue
            index_name = '%s_%s' % (self._table, suffix)
            if not sql.index_exists(self.env.cr, index_name):
                sql.create_unique_index(self.env.cr, index_name, self._table,
                                        ['"%s"' % col for col in columns])
        return result

    @api.model
    def create(self, vals):
        self._check_binding_free(vals)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if set(vals) & {'backend_id', 'external_id', 'openerp_id'}:
            for binding in self:
                binding._check_binding_free(vals)
        return super().write(vals)

    def _check_binding_free(self, vals):
        """Explain a duplicate binding in words, before the unique index refuses it.

        ``self`` is the binding being written (empty on create); ``vals``
        the values given. The index stays the guarantee against two
        concurrent transactions; this check gives the person a message.
        """
        backend_id = vals.get('backend_id', self['backend_id'].id if self else False)
        if not backend_id or 'backend_id' not in self._fields:
            return
        for field_name, label in (('external_id', 'external id'), ('openerp_id', 'Odoo record')):
            if field_name not in self._fields:
                continue
            if field_name in vals:
                value = vals[field_name]
            else:
                value = self[field_name] if self else False
            if isinstance(value, models.BaseModel):
                value = value.id
            if not value:
                continue
            duplicate = self.with_context(active_test=False).search([
                ('id', 'not in', self.ids),
                ('backend_id', '=', backend_id),
                (field_name, '=', value),
            ], limit=1)
            if duplicate:
                backend = duplicate.backend_id
                shown = duplicate[field_name]
                if isinstance(shown, models.BaseModel):
                    shown = shown.display_name
                raise ValidationError(_(
                    'Backend %r (%s): the %s %r is already bound by %s,%s; '
                    'it can be bound only once per backend. Use the existing '
                    'binding, or unbind it first.') % (
                        backend.display_name, backend._name, label, shown,
                        duplicate._name, duplicate.id))
