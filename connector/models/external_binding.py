# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import sql

from ..event import NO_EXPORT_KEY
from ..session import ConnectorSession
from ..unit.synchronizer.jobs import export_record
from ..unit.synchronizer.sync_state import (CHOICE, EXPORT, UNTRACKED, SyncState, plan_field,
                                            record_values)

#: Lines of ``sync_log`` kept on a binding (newest first).
SYNC_LOG_LINES = 50


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
    sync_values = fields.Text(
        string='Last synchronized values', readonly=True, copy=False,
        help='JSON: each synchronized field as both sides had it at the last '
             'synchronization; tells which side changed a field since then.')
    sync_log = fields.Text(string='Synchronization log', readonly=True, copy=False,
                           help='Conflicts met and how they were decided, newest first.')

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
        # ``create`` may be called on any recordset (``bindings.create(...)``):
        # the new binding is none of its records, so check as for an empty one.
        self.browse()._check_binding_free(vals)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if set(vals) & {'backend_id', 'external_id', 'openerp_id'}:
            for binding in self:
                binding._check_binding_free(vals)
        return super().write(vals)

    def _add_sync_log(self, text):
        """Add a dated line to the synchronization log (newest first, 50 lines kept)."""
        for binding in self:
            lines = (binding.sync_log or '').splitlines()
            lines.insert(0, '%s %s' % (fields.Datetime.now(), text))
            binding.with_context(**{NO_EXPORT_KEY: True}).write(
                {'sync_log': '\n'.join(lines[:SYNC_LOG_LINES])})

    def _settle_conflict(self, field_name, winner, remote_value):
        """Carry out a person's choice of the ``winner`` side of ``field_name``.

        Planned as a ``CHOICE`` by ``plan_field``: the other side's value is
        recorded as last synchronized, so that only the winner looks changed,
        then a job synchronizes that field in the winner's direction (an
        export for ``'local'``, an import for ``'remote'``), through the
        usual synchronizers.

        :param remote_value: the backend's value (comparable form) that the
            person saw when choosing
        """
        self.ensure_one()
        state = SyncState(self)
        local = record_values(self, [field_name]).get(field_name, UNTRACKED)
        plan = plan_field(CHOICE, state.get(field_name, UNTRACKED), local, remote_value,
                          decision=winner)
        state.record(field_name, plan, local, remote_value)
        self.with_context(**{NO_EXPORT_KEY: True}).write({'sync_values': state.as_json()})
        kept = 'Odoo' if plan.later == EXPORT else 'backend'
        self._add_sync_log('%s: %s kept the %s value; a job synchronizes it.' % (
            field_name, self.env.user.name, kept))
        description = 'Keep the %s value of %s of %s' % (kept, field_name, self.display_name)
        if plan.later == EXPORT:
            self._delay_export(fields=[field_name], description=description)
        else:
            self._delay_import(description=description)

    def _job_about(self):
        """A job about bindings of one backend is counted with that backend and
        goes to its job channel (``queue/about.py``); bindings of several
        backends make a job counted with none, in its function's channel."""
        about = super()._job_about()
        if 'backend_id' not in self._fields:
            return about
        backend = self.exists().mapped('backend_id')
        if len(backend) != 1:
            return about
        return about._replace(backend_model=backend._name, backend_id=backend.id,
                              channel=backend._job_about().channel)

    def _delay_export(self, fields=None, **job_options):
        """Delay the export of this binding (of ``fields`` only, when given); its uuid.

        The job is about this binding, counted with its backend and in that
        backend's job channel (``export_record``'s ``@job(about=...)``).
        """
        self.ensure_one()
        return export_record.delay(ConnectorSession.from_env(self.env), self._name, self.id,
                                   fields=fields, **job_options)

    def _delay_import(self, **job_options):
        """Delay the import of this binding's external record; its uuid."""
        self.ensure_one()
        return self.backend_id._delay_import(self._name, self.external_id, **job_options)

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
                    'Backend %(backend)r (%(backend_model)s): the %(field)s %(value)r is '
                    'already bound by %(binding)s; it can be bound only once per backend. '
                    'Use the existing binding, or unbind it first.') % {
                        'backend': backend.display_name, 'backend_model': backend._name,
                        'field': label, 'value': shown,
                        'binding': '%s,%s' % (duplicate._name, duplicate.id)})
