# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checkpoints: records a person should review after a synchronization.

An importer that creates something doubtful (a partner whose country was
guessed, a product without a category) adds a checkpoint; connector
managers review them in Connectors > Checkpoints.

A conflict that the backend's policy leaves to a person (``ask``) is a
checkpoint too: ``add_conflict_checkpoint`` shows both values, and its
buttons keep one or the other.
"""
import json

from .exception import ConnectorException


def add_checkpoint(session, model_name, record_id, backend_model_name, backend_id,
                   message=None):
    """Ask a person to review the record ``model_name``/``record_id``.

    :param session: a ConnectorSession (or an Odoo environment)
    :param backend_model_name: the model of the backend record, e.g.
        ``'example.backend'``; ``backend_id`` its id
    :param message: optional, why the record needs a review
    :returns: the ``connector.checkpoint`` record
    """
    env = getattr(session, 'env', session)
    return env['connector.checkpoint'].sudo().create(dict(
        _checkpoint_target(env, model_name, record_id, backend_model_name, backend_id),
        message=message))


def add_conflict_checkpoint(session, conflict, backend_record):
    """Ask a person to choose between the two values of a ``Conflict``.

    One open checkpoint per binding and field: a conflict met again
    updates it with the values of now.
    """
    env = getattr(session, 'env', session)
    binding = conflict.binding
    target = _checkpoint_target(env, binding._name, binding.id, backend_record._name,
                                backend_record.id)
    checkpoints = env['connector.checkpoint'].sudo()
    values = {
        'conflict_field': conflict.field_name,
        'local_value': json.dumps(conflict.local),
        'remote_value': json.dumps(conflict.remote),
        'local_display': displayed(binding, conflict.field_name, conflict.local),
        'remote_display': displayed(binding, conflict.field_name, conflict.remote),
        'local_changed': '%s by %s' % (conflict.local_date, conflict.local_user),
        'remote_changed': conflict.remote_date or 'unknown date',
        'message': 'Backend %r: %s of %s %r (external id %s) changed on both sides since the '
                   'last synchronization: choose the value to keep.' % (
                       backend_record.display_name, conflict.field_label, binding._name,
                       binding.display_name, binding.external_id),
    }
    existing = checkpoints.search([('model_id', '=', target['model_id']),
                                   ('record_id', '=', binding.id),
                                   ('conflict_field', '=', conflict.field_name),
                                   ('state', '=', 'need_review')], limit=1)
    if existing:
        existing.write(values)
        return existing
    return checkpoints.create(dict(target, **values))


def displayed(record, field_name, value):
    """A comparable value of ``record``'s field as the web client would show it."""
    field = record._fields.get(field_name)
    if value is False or value == [] or field is None:
        return json.dumps(value) if field is None else '(empty)'
    if field.type in ('many2one', 'many2many', 'one2many'):
        related = record.env[field.comodel_name].browse(
            value if isinstance(value, list) else [value]).exists()
        return ', '.join(related.mapped('display_name')) or '(deleted record)'
    if field.type == 'selection':
        selection = dict(field._description_selection(record.env))
        return selection.get(value, value)
    return str(value)


def _checkpoint_target(env, model_name, record_id, backend_model_name, backend_id):
    model = env['ir.model'].sudo().search([('model', '=', model_name)], limit=1)
    if not model:
        raise ConnectorException(
            'Cannot add a checkpoint on %s,%s for backend %s,%s: there is no '
            'model %r in this database.' % (model_name, record_id, backend_model_name,
                                            backend_id, model_name))
    return {'model_id': model.id, 'record_id': record_id,
            'backend_model': backend_model_name, 'backend_res_id': backend_id}
