# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Events: call consumers when records are created, written or unlinked.

The ORM fires ``on_record_create``, ``on_record_write`` and
``on_record_unlink`` for every model (see ``models/base.py``). A
connector subscribes consumers to them, typically to delay the export of
a bound record::

    @on_record_write(model_names=['shop.res.partner'])
    @skip_if_no_export
    def delay_export(session, model_name, record_id, vals):
        export_record.delay(session, model_name, record_id, fields=list(vals))

Consumers are called as ``consumer(session, model_name, record_id, vals)``
after a create or a write (once per record), and as
``consumer(session, model_name, record_id)`` before an unlink. A
consumer defined in an addon that is not installed in the current
database is not called there.

Synchronizers write with ``connector_no_export`` in the context: a
consumer decorated with ``skip_if_no_export`` ignores those writes, so an
import never triggers the export of what it just imported (no sync loop).
"""
import functools

from .installed import get_odoo_module, is_module_installed

NO_EXPORT_KEY = 'connector_no_export'
#: In the context of an importer's writes: the backend record importing, as
#: ``'model,id'``. A model's own create/write logic can read it to leave
#: alone the values an import writes (see ``Importer``).
IMPORT_KEY = 'connector_import_backend'


class Event(object):
    """A list of consumers to call when something happens to a record.

    >>> from odoo.addons.connector.session import ConnectorSession
    >>> seen = []
    >>> on_visit = Event()
    >>> @on_visit(model_names=['res.partner'])
    ... def note_visit(session, model_name, record_id):
    ...     seen.append((model_name, record_id))
    >>> on_visit.fire(ConnectorSession.from_env(env), 'res.partner', 7)
    >>> seen
    [('res.partner', 7)]
    """

    def __init__(self):
        # model name (None for all models) -> consumers, in subscription order
        self._consumers = {}
        # consumer -> the consumers that replace it where they apply
        self._replaced_by = {}

    def subscribe(self, consumer, model_names=None, replacing=None):
        """Call ``consumer`` when the event fires for one of ``model_names``.

        :param model_names: a model name or a list of them; all models when None
        :param replacing: a consumer that ``consumer`` replaces: where the
            addon of ``consumer`` is installed and it listens to the
            model, the replaced consumer is not called
        """
        if isinstance(model_names, str):
            model_names = [model_names]
        for model_name in model_names or [None]:
            consumers = self._consumers.setdefault(model_name, [])
            if consumer not in consumers:
                consumers.append(consumer)
        if replacing is not None:
            self._replaced_by.setdefault(replacing, []).append(consumer)

    def unsubscribe(self, consumer, model_names=None):
        """Stop calling ``consumer`` for ``model_names`` (all its models when None)."""
        if isinstance(model_names, str):
            model_names = [model_names]
        targets = model_names or list(self._consumers)
        for model_name in targets:
            consumers = self._consumers.get(model_name, [])
            if consumer in consumers:
                consumers.remove(consumer)
        for replacing in self._replaced_by.values():
            if consumer in replacing and not self._listens_anywhere(consumer):
                replacing.remove(consumer)

    def has_consumer_for(self, session, model_name):
        """True when a consumer would be called for ``model_name`` in this database."""
        if not (self._consumers.get(model_name) or self._consumers.get(None)):
            return False
        return bool(self._consumers_for(session, model_name))

    def fire(self, session, model_name, *args, **kwargs):
        """Call each consumer for ``model_name`` with the session and the arguments."""
        for consumer in self._consumers_for(session, model_name):
            consumer(session, model_name, *args, **kwargs)

    def __call__(self, consumer=None, model_names=None, replacing=None):
        """Subscribe as a decorator: ``@event`` or ``@event(model_names=[...])``."""
        def decorate(func):
            self.subscribe(func, model_names=model_names, replacing=replacing)
            return func
        if consumer is None:
            return decorate
        return decorate(consumer)

    def _listens_anywhere(self, consumer):
        return any(consumer in consumers for consumers in self._consumers.values())

    def _consumers_for(self, session, model_name):
        env = getattr(session, 'env', session)
        candidates = [consumer for consumer in
                      self._consumers.get(model_name, []) + self._consumers.get(None, [])
                      if is_module_installed(env, get_odoo_module(consumer))]
        return [consumer for consumer in candidates
                if not any(replacing in candidates
                           for replacing in self._replaced_by.get(consumer, ()))]


def skip_if_no_export(consumer):
    """Do not call ``consumer`` for changes made with ``connector_no_export``.

    Synchronizers (importers, binders) write with that context key; an
    export consumer decorated with this does not send those changes back.
    """
    @functools.wraps(consumer)
    def wrapper(session, model_name, *args, **kwargs):
        if session.context.get(NO_EXPORT_KEY):
            return None
        return consumer(session, model_name, *args, **kwargs)
    return wrapper


on_record_create = Event()
"""Fired after a record is created: ``consumer(session, model_name, record_id, vals)``."""

on_record_write = Event()
"""Fired after a record is written: ``consumer(session, model_name, record_id, vals)``."""

on_record_unlink = Event()
"""Fired before a record is unlinked: ``consumer(session, model_name, record_id)``."""
