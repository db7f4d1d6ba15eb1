# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Binders: the link between an external id and an Odoo record.

A binding model ``<prefix>.<model>`` (for example ``shop.res.partner``)
keeps one row per external record: it ``_inherits`` the Odoo model
through ``openerp_id`` and stores ``backend_id``, ``external_id`` and
``sync_date`` (see the ``external.binding`` model). A Binder finds a
binding from an external id, the external id of a binding, and writes
the link after an import or an export.

The default implementation needs no code for a binding model that
follows that convention: a connector registers a subclass that only sets
``_model_name``.
"""
from odoo import fields, models

from .connector_unit import ConnectorUnit
from .exception import BindingError, InvalidDataError


class Binder(ConnectorUnit):
    """Finds and writes the link between external ids and Odoo records.

    The vocabulary of the arguments:

    - ``binding``: a record of the binding model, or its id;
    - ``wrap=True``: the given record is the Odoo record (a
      ``res.partner``), look up its binding on this backend;
    - ``unwrap=True``: return the Odoo record instead of the binding;
    - ``browse=True``: return records instead of ids.
    """

    _model_name = None
    _external_field = 'external_id'
    _backend_field = 'backend_id'
    _openerp_field = 'openerp_id'
    _sync_date_field = 'sync_date'

    def to_openerp(self, external_id, unwrap=False, browse=False):
        """The binding (or, with ``unwrap``, the Odoo record) of an external id.

        :returns: an id, or a record with ``browse``; None (an empty
            recordset with ``browse``) when the external id is not bound
        """
        bindings = self.model.with_context(active_test=False).search([
            (self._external_field, '=', str(external_id)),
            (self._backend_field, '=', self.backend_record.id),
        ])
        if unwrap:
            bindings = bindings[self._openerp_field]
        if browse:
            return bindings
        return bindings.id or None

    def to_backend(self, binding, wrap=False):
        """The external id of a binding, or None when it has none.

        :param binding: a binding record or id; with ``wrap``, an Odoo
            record or id of the model the binding wraps
        """
        if wrap:
            record = self._ensure_record(binding, self.unwrap_model())
            binding = self.model.with_context(active_test=False).search([
                (self._openerp_field, '=', record.id),
                (self._backend_field, '=', self.backend_record.id),
            ])
        else:
            binding = self._ensure_record(binding, self.model._name)
        return binding[self._external_field] or None

    def bind(self, external_id, binding, values=None):
        """Link a binding to an external id, and mark it synchronized now.

        The write carries ``connector_no_export`` in its context, so that
        binding a record does not export it again.

        :param values: more values of the binding to write with the link
            (the synchronizers give the last synchronized values)
        """
        binding = self._ensure_record(binding, self.model._name)
        if external_id is None or str(external_id).strip() == '':
            raise InvalidDataError(
                'Backend %s: cannot bind %s %s to an empty external id %r. '
                'The remote system must return an id for the record; check '
                'the adapter of %s.' % (self._backend_label(), binding._name,
                                        binding.ids, external_id, binding._name))
        binding.ensure_one()
        binding.with_context(connector_no_export=True).write(dict(
            values or {}, **{self._external_field: str(external_id),
                             self._sync_date_field: fields.Datetime.now()}))

    def unwrap_binding(self, binding, browse=False):
        """The Odoo record a binding wraps (its id, or the record with ``browse``)."""
        binding = self._ensure_record(binding, self.model._name)
        record = binding[self._openerp_field]
        return record if browse else record.id

    def unwrap_model(self):
        """Name of the Odoo model the binding model wraps (``res.partner``...)."""
        field = self.model._fields.get(self._openerp_field)
        if field is None:
            raise BindingError(
                'Cannot unwrap model %s: it has no field %r. A binding '
                'model _inherits the Odoo model through %r, or its Binder '
                'sets _openerp_field.' % (self.model._name, self._openerp_field,
                                          self._openerp_field))
        return field.comodel_name

    def _ensure_record(self, record_or_id, model_name):
        """A record of ``model_name`` from a record or an id; refuses other models."""
        if isinstance(record_or_id, models.BaseModel):
            if record_or_id._name != model_name:
                raise BindingError(
                    'Binder of %s on backend %s was given %r, a record of %s: '
                    'it expects a %s record or id.' % (
                        self.model._name, self._backend_label(), record_or_id,
                        record_or_id._name, model_name))
            return record_or_id.with_env(self.env)
        return self.env[model_name].browse(record_or_id)

    def _backend_label(self):
        return '%r (%s,%s)' % (self.backend_record.display_name,
                               self.backend_record._name, self.backend_record.id)
