# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Creating an exported record on the backend once, whatever fails.

The external system may create the record and then the export fail before
our transaction commits: the answer lost, the worker killed, the commit
refused. The binding then has no external id, and a retry would create a
second record. The technique: give the record, in the same call that
creates it, a key that names this binding (``_export_key()``: this
database, the binding model and the Odoo record id, stable across
retries), and before creating, look for a record holding that key
(``_find_exported``); found, it is bound and updated instead. An API with
idempotency keys (``Idempotency-Key`` headers) takes the key as it is.
Where the external system offers neither, a retry may create a duplicate:
the default ``_find_exported`` finds nothing.
"""


class CreateOnce(object):
    """The create step of ``Exporter``, safe against retries (see the module doc).

    Uses the exporter's ``binding``, ``binder``, ``_create`` and ``_update``.
    In an exporter, override ``_add_export_key(data, key)`` to put the key
    in a field of the external record (a reference, a note, a metadata
    entry) and ``_find_exported(key)`` to search it.
    """

    # A mixin: binding, binder, env, model, _create and _update are the exporter's.
    # pylint: disable=no-member

    def _create_once(self, data):
        """Create the external record, or find the one a failed try created."""
        key = self._export_key()
        found = self._find_exported(key) if key else None
        if found:
            self.external_id = found
            self._update(data)
            return found
        if key:
            data = self._add_export_key(dict(data), key)
        return self._create(data)

    def _export_key(self):
        """A key naming this binding's record on the backend, stable across retries.

        This database's uuid, the binding model and the Odoo record's id
        (not the binding's: a dependency's binding is created again by a
        retry).
        """
        database_uuid = self.env['ir.config_parameter'].sudo().get_param('database.uuid')
        record = self.binding[self.binder._openerp_field] \
            if self.binder._openerp_field in self.binding._fields else self.binding
        return 'odoo:%s:%s:%s' % (database_uuid, self.model._name, record.id)

    def _add_export_key(self, data, key):
        """The values to create, with ``key`` stored where ``_find_exported`` looks."""
        return data

    def _find_exported(self, key):
        """External id of a record created earlier with ``key``, or None (see module doc)."""
        return None
