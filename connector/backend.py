# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Backends: where the connector units of a service and version are kept.

A ``Backend`` stands for one kind of external system in one version
(``Backend('magento', '1.7')``). Connector units register on it with a
decorator; a lookup asks it for the unit of a given class for a given
model. A backend may have a parent: a lookup tries the backend first and
falls back to its parents, so a version only registers what differs::

    magento = Backend('magento')
    magento1700 = Backend(parent=magento, version='1.7')

    @magento
    class PartnerImporter(Importer):
        _model_name = 'magento.res.partner'

    @magento1700(replacing=...)   # or simply @magento1700 to shadow
    class PartnerImporter1700(PartnerImporter):
        ...
"""
from contextlib import contextmanager

from .exception import (BackendNotFound, ConnectorException, ManyConnectorUnitError,
                        NoConnectorUnitError, NoModelNameError)
from .installed import get_odoo_module, is_module_installed


class _UnitEntry(object):
    """A unit class registered on a backend, and the classes replacing it."""

    __slots__ = ('cls', 'replaced_by')

    def __init__(self, cls):
        self.cls = cls
        self.replaced_by = []


def _model_name_of(model):
    return model if isinstance(model, str) else model._name


def _env_of(session):
    return getattr(session, 'env', session)


class Backend(object):
    """A service in a version, holding the connector units that serve it.

    :param service: name of the service, e.g. ``'magento'``; taken from the
        parent when omitted
    :param version: version of the service, or None for all versions
    :param parent: a Backend whose units are used when this one has none
    """

    def __init__(self, service=None, version=None, parent=None):
        if service is None and parent is None:
            raise ConnectorException(
                'A Backend needs a service name or a parent backend.')
        if parent is not None and service not in (None, parent.service):
            raise ConnectorException(
                'Backend %r cannot have parent %r: a child backend serves '
                'the same service as its parent.' % (service, parent))
        self.service = service or parent.service
        self.version = version
        self.parent = parent
        self._entries = []
        backend_registry.register(self)

    def __repr__(self):
        if self.version is None:
            return 'Backend(%r)' % self.service
        return 'Backend(%r, %r)' % (self.service, self.version)

    def match(self, service, version):
        """True when this backend is the one for ``service`` and ``version``."""
        return self.service == service and self.version == version

    # -- registration ------------------------------------------------------

    def __call__(self, cls=None, replacing=None):
        """Register a unit class; usable as ``@backend`` or ``@backend(replacing=Cls)``."""
        if cls is None:
            return lambda cls: self.register_class(cls, replacing=replacing)
        return self.register_class(cls, replacing=replacing)

    def register_class(self, cls, replacing=None):
        """Register a ConnectorUnit class, optionally replacing other classes.

        ``replacing`` is a class (or a list of classes) registered on this
        backend or a parent. Where the replacing class's addon is installed
        and it serves the model asked for, lookups return it instead of the
        replaced class; elsewhere the replaced class is used as before.
        Returns ``cls``, so that it can be used as a class decorator.
        """
        if getattr(cls, '_model_name', None) is None:
            raise NoModelNameError(
                'Cannot register %s.%s on %r: it has no _model_name. Set '
                '_model_name to the model (or list of models) it serves.'
                % (cls.__module__, cls.__name__, self))
        if self._find_entry(cls, self._entries) is not None:
            return cls
        entry = _UnitEntry(cls)
        replaced_classes = replacing if isinstance(replacing, (list, tuple)) else [replacing]
        replaced_entries = [self._entry_to_replace(replaced, cls)
                            for replaced in replaced_classes if replaced is not None]
        local = [replaced for replaced in replaced_entries if replaced is not None]
        if local:
            for replaced in local:
                replaced.replaced_by.append(entry)
        else:
            self._entries.append(entry)
        return cls

    def unregister_class(self, cls):
        """Remove a class registered on this backend (tests use it to clean up)."""
        def prune(entries):
            kept = [entry for entry in entries if entry.cls is not cls]
            for entry in kept:
                entry.replaced_by = prune(entry.replaced_by)
            return kept
        self._entries = prune(self._entries)

    def _entry_to_replace(self, replaced, replacing):
        """Entry of this backend to hang ``replacing`` on, None for a parent's class."""
        entry = self._find_entry(replaced, self._entries)
        if entry is not None:
            return entry
        parent = self.parent
        while parent is not None:
            if parent._find_entry(replaced, parent._entries) is not None:
                # A child's own class already shadows its parent's one.
                return None
            parent = parent.parent
        raise ConnectorException(
            '%s cannot replace %s on %r: %s is not registered on that '
            'backend nor on its parents. Register it first, or replace a '
            'registered class.' % (replacing.__name__, replaced.__name__,
                                   self, replaced.__name__))

    @classmethod
    def _find_entry(cls, unit_class, entries):
        for entry in entries:
            if entry.cls is unit_class:
                return entry
            found = cls._find_entry(unit_class, entry.replaced_by)
            if found is not None:
                return found
        return None

    # -- lookup ------------------------------------------------------------

    def get_class(self, base_class, session, model_name):
        """The one registered subclass of ``base_class`` serving ``model_name``.

        :param session: a ConnectorSession or an Odoo environment: units of
            addons not installed in its database are ignored
        :param model_name: a model name or a model
        :raise NoConnectorUnitError: no class matches
        :raise ManyConnectorUnitError: several classes match
        """
        env = _env_of(session)
        model_name = _model_name_of(model_name)
        classes = self._matching_classes(base_class, env, model_name)
        if not classes:
            chain = ' -> '.join(repr(backend) for backend in self._lineage())
            raise NoConnectorUnitError(
                'No %s for model %r on %s (searched %s) in database %r. Hint: '
                'register a subclass of %s with _model_name = %r on the '
                'backend, and check that its addon is installed and calls '
                'install_in_connector().' % (
                    base_class.__name__, model_name, self, chain,
                    env.cr.dbname, base_class.__name__, model_name))
        if len(classes) > 1:
            found = ', '.join('%s (addon %s)' % (cls.__name__, cls._module) for cls in classes)
            raise ManyConnectorUnitError(
                'Several %s classes serve model %r on %s: %s. Keep one, or '
                'register the newer one with replacing= the older one.' % (
                    base_class.__name__, model_name, self, found))
        return classes[0]

    def _lineage(self):
        backend = self
        while backend is not None:
            yield backend
            backend = backend.parent

    def _matching_classes(self, base_class, env, model_name):
        for backend in self._lineage():
            classes = []
            for entry in backend._entries:
                for cls in self._resolve(entry, base_class, env, model_name):
                    if cls not in classes:
                        classes.append(cls)
            if classes:
                return classes
        return []

    def _resolve(self, entry, base_class, env, model_name):
        """Classes answering for ``entry``: its matching replacements, else itself."""
        replacements = []
        for replacing in entry.replaced_by:
            replacements.extend(self._resolve(replacing, base_class, env, model_name))
        if replacements:
            return replacements
        cls = entry.cls
        if (is_module_installed(env, get_odoo_module(cls))
                and issubclass(cls, base_class) and cls.match(env, model_name)):
            return [cls]
        return []


class BackendRegistry(object):
    """The backends known to this process; ``get_backend`` asks it."""

    def __init__(self):
        self._backends = []

    def register(self, backend):
        for known in self._backends:
            if known.match(backend.service, backend.version):
                raise ConnectorException(
                    'A backend for service %r version %r is already '
                    'registered (%r): define each service/version once and '
                    'import it where needed.' % (backend.service, backend.version, known))
        self._backends.append(backend)

    def get(self, service, version=None):
        for backend in self._backends:
            if backend.match(service, version):
                return backend
        versions = sorted(repr(backend.version) for backend in self._backends
                          if backend.service == service)
        raise BackendNotFound(
            'No backend registered for service %r version %r (known versions '
            'of %r: %s). Install the addon that defines it, or choose one of '
            'the known versions.' % (service, version, service, ', '.join(versions) or 'none'))

    @contextmanager
    def isolated(self):
        """Forget, on exit, the backends registered inside the block (for tests)."""
        saved = list(self._backends)
        try:
            yield self
        finally:
            self._backends[:] = saved


backend_registry = BackendRegistry()


def get_backend(service, version=None):
    """The registered Backend for ``service`` and ``version``.

    :raise BackendNotFound: no such backend is registered
    """
    return backend_registry.get(service, version)
