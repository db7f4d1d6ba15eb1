# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Backends: registering units, finding the one for a model, versions and replacements.

Lookups tell installed addons by the environment's registry, so a fake
environment (``fake_env(installed=[...])``) stands in for a database
where those addons are installed. Each test registers its backends inside
``backend_registry.isolated()``.
"""
import pytest

from odoo.addons.connector.backend import Backend, backend_registry, get_backend
from odoo.addons.connector.connector_unit import ConnectorUnit
from odoo.addons.connector.exception import (BackendNotFound, ConnectorException,
                                             ManyConnectorUnitError, NoConnectorUnitError,
                                             NoModelNameError)

from fakes import fake_env


@pytest.fixture(autouse=True)
def isolated_registry():
    with backend_registry.isolated():
        yield


class Importer(ConnectorUnit):
    """A kind of unit, as Binder or Mapper are."""


class Exporter(ConnectorUnit):
    pass


def unit(base, model_name, addon=None, name='PartnerImporter'):
    """A unit class for ``model_name``, defined in ``addon`` (None: outside any addon)."""
    attrs = {'_model_name': model_name}
    if addon:
        attrs['__module__'] = 'odoo.addons.%s.units' % addon
    return type(base)(name, (base,), attrs)


def test_lookup_gives_the_class_registered_for_the_model_and_kind():
    """A backend answers with the subclass of the kind asked, serving that model."""
    shop = Backend('shop')
    partners = shop(unit(Importer, 'shop.res.partner'))
    orders = shop(unit(Importer, ['shop.sale.order', 'shop.sale.line'], name='OrderImporter'))
    exporter = shop(unit(Exporter, 'shop.res.partner', name='PartnerExporter'))
    env = fake_env()
    assert shop.get_class(Importer, env, 'shop.res.partner') is partners
    assert shop.get_class(Importer, env, 'shop.sale.line') is orders
    assert shop.get_class(Exporter, env, 'shop.res.partner') is exporter


def test_version_falls_back_to_its_parent_and_shadows_it_where_it_registers():
    """A version registers only what differs; the rest comes from the parent."""
    shop = Backend('shop')
    shop_v2 = Backend(parent=shop, version='2.0')
    importer = shop(unit(Importer, 'shop.res.partner'))
    exporter = shop(unit(Exporter, 'shop.res.partner', name='PartnerExporter'))
    exporter_v2 = shop_v2(unit(Exporter, 'shop.res.partner', name='PartnerExporterV2'))
    env = fake_env()
    assert shop_v2.get_class(Importer, env, 'shop.res.partner') is importer
    assert shop_v2.get_class(Exporter, env, 'shop.res.partner') is exporter_v2
    assert shop.get_class(Exporter, env, 'shop.res.partner') is exporter
    assert shop_v2.service == 'shop' and repr(shop_v2) == "Backend('shop', '2.0')"


def test_units_of_addons_not_installed_are_ignored():
    """A unit of an addon not installed in the database is not a candidate there."""
    shop = Backend('shop')
    ghost = shop(unit(Importer, 'shop.res.partner', addon='shop_ghost'))
    with pytest.raises(NoConnectorUnitError):
        shop.get_class(Importer, fake_env(installed=['connector']), 'shop.res.partner')
    assert shop.get_class(Importer, fake_env(installed=['shop_ghost']),
                          'shop.res.partner') is ghost


def test_replacing_class_wins_only_where_its_addon_is_installed():
    """@backend(replacing=Cls): the replacement where installed, the original elsewhere."""
    shop = Backend('shop')
    original = shop(unit(Importer, 'shop.res.partner', addon='shop_base'))
    better = shop(replacing=original)(unit(Importer, 'shop.res.partner', addon='shop_plus',
                                           name='BetterImporter'))
    assert shop.get_class(Importer, fake_env(installed=['shop_base', 'shop_plus']),
                          'shop.res.partner') is better
    assert shop.get_class(Importer, fake_env(installed=['shop_base']),
                          'shop.res.partner') is original


def test_a_replacement_applies_only_to_the_models_it_serves():
    """A class serving two models, replaced by one serving one: the original still
    serves the other model."""
    shop = Backend('shop')
    partners_and_banks = shop(unit(Importer, ['shop.res.partner', 'shop.res.bank'],
                                   name='PartnerAndBankImporter'))
    partners = shop(replacing=partners_and_banks)(unit(Importer, 'shop.res.partner'))
    assert shop.get_class(Importer, fake_env(), 'shop.res.partner') is partners
    assert shop.get_class(Importer, fake_env(), 'shop.res.bank') is partners_and_banks


def test_version_replacing_a_parent_class_shadows_it():
    """A version's class replacing a parent's class is simply the version's own."""
    shop = Backend('shop')
    shop_v2 = Backend(parent=shop, version='2.0')
    original = shop(unit(Importer, 'shop.res.partner'))
    newer = shop_v2(replacing=original)(unit(Importer, 'shop.res.partner', name='Newer'))
    assert shop_v2.get_class(Importer, fake_env(), 'shop.res.partner') is newer
    assert shop.get_class(Importer, fake_env(), 'shop.res.partner') is original


def test_missing_unit_error_names_kind_model_backends_database_and_fix():
    """No class: the message says where it looked and how to register one."""
    shop = Backend('shop')
    shop_v2 = Backend(parent=shop, version='2.0')
    with pytest.raises(NoConnectorUnitError) as caught:
        shop_v2.get_class(Importer, fake_env(dbname='shop_prod'), 'shop.res.partner')
    assert str(caught.value) == (
        "No Importer for model 'shop.res.partner' on Backend('shop', '2.0') (searched "
        "Backend('shop', '2.0') -> Backend('shop')) in database 'shop_prod'. Hint: register a "
        "subclass of Importer with _model_name = 'shop.res.partner' on the backend, and check "
        "that its addon is installed and calls install_in_connector().")


def test_two_classes_for_one_model_is_an_error_naming_both():
    """The lookup does not choose between two registered classes."""
    shop = Backend('shop')
    shop(unit(Importer, 'shop.res.partner', addon='shop_a', name='ImporterA'))
    shop(unit(Importer, 'shop.res.partner', addon='shop_b', name='ImporterB'))
    with pytest.raises(ManyConnectorUnitError) as caught:
        shop.get_class(Importer, fake_env(installed=['shop_a', 'shop_b']), 'shop.res.partner')
    assert str(caught.value) == (
        "Several Importer classes serve model 'shop.res.partner' on Backend('shop'): ImporterA "
        "(addon shop_a), ImporterB (addon shop_b). Keep one, or register the newer one with "
        "replacing= the older one.")


def test_registering_twice_is_harmless_and_unregister_removes():
    """A class registered twice is one entry; unregister_class() forgets it (tests' cleanup)."""
    shop = Backend('shop')
    importer = unit(Importer, 'shop.res.partner')
    shop(importer)
    shop(importer)
    assert shop.get_class(Importer, fake_env(), 'shop.res.partner') is importer
    shop.unregister_class(importer)
    with pytest.raises(NoConnectorUnitError):
        shop.get_class(Importer, fake_env(), 'shop.res.partner')


def test_unit_without_model_name_cannot_be_registered():
    """Registration refuses a class without _model_name, saying what to set."""
    with pytest.raises(NoModelNameError) as caught:
        Backend('shop')(Importer)
    assert str(caught.value) == (
        "Cannot register %s.Importer on Backend('shop'): it has no _model_name. Set "
        "_model_name to the model (or list of models) it serves." % __name__)


def test_replacing_an_unregistered_class_is_refused():
    """replacing= must name a class registered on the backend or a parent."""
    shop = Backend('shop')
    stray = unit(Importer, 'shop.res.partner', name='Stray')
    with pytest.raises(ConnectorException) as caught:
        shop(replacing=stray)(unit(Importer, 'shop.res.partner', name='Newer'))
    assert str(caught.value) == (
        "Newer cannot replace Stray on Backend('shop'): Stray is not registered on that "
        "backend nor on its parents. Register it first, or replace a registered class.")


def test_backends_are_found_by_service_and_version():
    """get_backend() gives the registered backend; an unknown one lists the known versions."""
    shop = Backend('shop')
    shop_v2 = Backend(parent=shop, version='2.0')
    assert get_backend('shop') is shop and get_backend('shop', '2.0') is shop_v2
    with pytest.raises(BackendNotFound) as caught:
        get_backend('shop', '3.0')
    assert str(caught.value) == (
        "No backend registered for service 'shop' version '3.0' (known versions of 'shop': "
        "'2.0', None). Install the addon that defines it, or choose one of the known versions.")


def test_a_service_version_is_defined_once():
    """A second Backend('shop', '2.0') is refused: import the first one."""
    Backend('shop', '2.0')
    with pytest.raises(ConnectorException) as caught:
        Backend('shop', '2.0')
    assert str(caught.value) == (
        "A backend for service 'shop' version '2.0' is already registered (Backend('shop', "
        "'2.0')): define each service/version once and import it where needed.")


def test_isolated_registry_forgets_the_backends_registered_inside():
    """Tests register backends inside isolated(); they are gone after it."""
    with backend_registry.isolated():
        Backend('marketplace')
        assert get_backend('marketplace')
    with pytest.raises(BackendNotFound):
        get_backend('marketplace')


@pytest.mark.parametrize('kwargs, message', [
    ({}, 'A Backend needs a service name or a parent backend.'),
    ({'service': 'other', 'parent': 'shop'},
     "Backend 'other' cannot have parent Backend('shop'): a child backend serves the same "
     "service as its parent."),
])
def test_backend_needs_a_service_of_its_own_or_its_parent(kwargs, message):
    """A backend without a service, or with another service than its parent, is refused."""
    if kwargs.get('parent'):
        kwargs['parent'] = Backend(kwargs['parent'])
    with pytest.raises(ConnectorException) as caught:
        Backend(**kwargs)
    assert str(caught.value) == message
