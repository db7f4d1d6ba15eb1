# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""JSON encoding of job arguments: what a job may carry, and nothing else.

Arguments are stored as JSON text, never pickled: a stored job can then be
read by a person, and decoding it cannot run code. Besides JSON's own types
(str, int, float, bool, None, list, dict with str keys; a tuple comes back
as a list), three types round-trip: recordsets, ``datetime`` and ``date``.
Anything else is refused when the job is delayed, before anything is
stored, with the path of the bad value::

    >>> encode_arguments([{'when': {1, 2}}])
    Traceback (most recent call last):
    ...
    odoo.addons.connector.exception.JobArgumentError: argument [0]['when']: \
a set cannot be stored in a job; pass a list, a dict, a number, a text, a date, \
a datetime or a recordset

A recordset is stored as its model and ids and comes back, in the worker,
bound to the job's own environment (the user who delayed the job). Nothing
reads the stored text to learn what a job is about: who delays the job
says it, and it is stored in columns of its own (``about.py``).
"""
import json
from datetime import date, datetime

from ..exception import JobArgumentError

_TYPE = '_type'


def _to_json(value, path):
    """A JSON-ready copy of ``value``; raises JobArgumentError naming ``path``."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if value != value or value in (float('inf'), float('-inf')):
            raise JobArgumentError('argument %s: %r cannot be stored in a job (JSON has '
                                   'no NaN or infinity)' % (path, value))
        return value
    if isinstance(value, (list, tuple)):
        return [_to_json(item, '%s[%d]' % (path, i)) for i, item in enumerate(value)]
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise JobArgumentError(
                    'argument %s: key %r is a %s; the keys of a dict stored in a job '
                    'must be texts' % (path, key, type(key).__name__))
            if key == _TYPE:
                raise JobArgumentError(
                    'argument %s: the key %r is reserved by the job encoding' % (path, _TYPE))
            result[key] = _to_json(item, '%s[%r]' % (path, key))
        return result
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise JobArgumentError(
                'argument %s: %r has a time zone; give a naive UTC datetime, as '
                'Odoo stores them' % (path, value))
        return {_TYPE: 'datetime', 'value': value.isoformat()}
    if isinstance(value, date):
        return {_TYPE: 'date', 'value': value.isoformat()}
    model_name = getattr(value, '_name', None)
    if model_name and hasattr(value, '_ids') and hasattr(value, 'env'):
        return {_TYPE: 'recordset', 'model': model_name, 'ids': list(value._ids)}
    raise JobArgumentError(
        'argument %s: a %s cannot be stored in a job; pass a list, a dict, a number, '
        'a text, a date, a datetime or a recordset' % (path, type(value).__name__))


def encode_arguments(value):
    """JSON text for ``value`` (a list of arguments or a dict of keywords)."""
    return json.dumps(_to_json(value, ''), separators=(',', ':'), sort_keys=True)


def decode_arguments(text, env):
    """Python value of an ``encode_arguments`` text; records bound to ``env``.

    Raises JobArgumentError when the text is not valid job JSON (a row
    edited by hand, or written by another program).
    """
    def hook(obj):
        kind = obj.get(_TYPE)
        if kind is None:
            return obj
        try:
            if kind == 'datetime':
                return datetime.strptime(obj['value'][:26], '%Y-%m-%dT%H:%M:%S.%f') \
                    if '.' in obj['value'] else \
                    datetime.strptime(obj['value'], '%Y-%m-%dT%H:%M:%S')
            if kind == 'date':
                return datetime.strptime(obj['value'], '%Y-%m-%d').date()
            if kind == 'recordset':
                if obj['model'] not in env.registry:
                    raise JobArgumentError(
                        'a recordset of model %r is in the arguments, but that model '
                        'does not exist in database %s (is its addon installed?)'
                        % (obj['model'], env.cr.dbname))
                return env[obj['model']].browse([int(i) for i in obj['ids']])
        except JobArgumentError:
            raise
        except (KeyError, TypeError, ValueError) as err:
            raise JobArgumentError('stored %s %r cannot be read back: %s'
                                   % (kind, obj, err)) from err
        raise JobArgumentError('stored value %r has an unknown type %r' % (obj, kind))

    try:
        return json.loads(text or 'null', object_hook=hook)
    except ValueError as err:  # JSONDecodeError; JobArgumentError is not a ValueError
        raise JobArgumentError('stored job arguments are not valid JSON (%s): %.200r'
                               % (err, text)) from err
