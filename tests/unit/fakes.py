# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stand-ins for the Odoo objects the pure modules read, without a registry.

The framework's pure parts read only a few attributes of an environment
(``registry`` to tell installed addons, ``cr.dbname`` for messages) or of
a connector environment (backend, backend record, model name). These give
exactly those; anything else raises AttributeError, so a test that reaches
the ORM fails instead of passing on a fake.
"""
from types import SimpleNamespace


def fake_env(installed=(), dbname='shop_test'):
    """An Odoo environment where ``connector`` and the addons ``installed`` are installed.

    Its registry holds their ``<addon>.installed`` models, which is what
    ``is_module_installed()`` looks for (never empty, as a real one).
    """
    registry = frozenset('%s.installed' % addon for addon in ('connector',) + tuple(installed))
    return SimpleNamespace(registry=registry, cr=SimpleNamespace(dbname=dbname))


def fake_backend_record(name='Shop', model='shop.backend', record_id=3, **fields):
    """A backend record: what messages name (display name, model, id) and ``fields``."""
    return SimpleNamespace(display_name=name, _name=model, id=record_id, **fields)


def fake_connector_env(model_name='shop.res.partner', backend=None, backend_record=None):
    """A connector environment for units that map dicts and need no ORM."""
    return SimpleNamespace(backend=backend, backend_record=backend_record or fake_backend_record(),
                           session=None, model_name=model_name)
