# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checkpoints: records a person should review after a synchronization.

An importer that creates something doubtful (a partner whose country was
guessed, a product without a category) adds a checkpoint; connector
managers review them in Connectors > Checkpoints.

A conflict that the backend's policy leaves to a person (``ask``) is a
checkpoint too: ``ConflictResolver.settle`` (``unit/conflict.py``) shows
both values, and its buttons keep one or the other.
"""
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
        checkpoint_target(env, model_name, record_id, backend_model_name, backend_id),
        message=message))


def checkpoint_target(env, model_name, record_id, backend_model_name, backend_id):
    """The values that point a checkpoint at its record and its backend."""
    model = env['ir.model'].sudo().search([('model', '=', model_name)], limit=1)
    if not model:
        raise ConnectorException(
            'Cannot add a checkpoint on %s,%s for backend %s,%s: there is no '
            'model %r in this database.' % (model_name, record_id, backend_model_name,
                                            backend_id, model_name))
    return {'model_id': model.id, 'record_id': record_id,
            'backend_model': backend_model_name, 'backend_res_id': backend_id}
