# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Translations: each addon's ``i18n/ADDON.pot`` is Odoo's own export of its
current terms, and ``connector_example`` ships a complete French translation
that Odoo loads.

The templates are exported from a copy of the template database where only
the packaged addons are installed (``connector_example`` and its dependency
``connector``): in the pytest database the test addons' models inherit
connector's fields, and Odoo would list them in ``connector.pot`` as well.
The shop connector's template (``connector_oscar``) is exported from a copy
of the shop Odoo's template (``devkit.shop_odoo``: ``sale_stock``, which the
pytest databases lack) with ``connector_oscar`` installed.
After changing a translatable term (a field label or help, a view, a menu, a
``_()`` call), regenerate the templates with::

    CONNECTOR_UPDATE_POT=1 python3 tools/dev.py pytest tests/repo/test_i18n.py

(the README's "Translations" section gives the odoo-bin commands it runs),
then update the French terms (``msgmerge``) and commit.
"""
import difflib
import os
import re
import subprocess
import tarfile

import odoo
import pytest
from babel.messages.pofile import read_po
from odoo import SUPERUSER_ID, api

from devkit import shop_odoo
from support.template_db import TemplateCopies, free_port

POT_ADDONS = ['connector', 'connector_example']
#: Addons exported from a shop Odoo database (their dependencies are there only).
SHOP_POT_ADDONS = ['connector_oscar']
UPDATE_VARIABLE = 'CONNECTOR_UPDATE_POT'
REGENERATE = '%s=1 python3 tools/dev.py pytest tests/repo/test_i18n.py' % UPDATE_VARIABLE
HEADER_DATES_RE = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.M)
CODE_LINE_RE = re.compile(r'^(#: code:\S+):\d+$', re.M)


def _run(cmd, cwd):
    proc = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=300)
    assert proc.returncode == 0, '%s\n%s' % (' '.join(cmd), proc.stdout[-3000:])


@pytest.fixture(scope='module')
def exported(connector_repo, venv_python, odoo_config_path, tmp_path_factory):
    """{addon: text of the .pot Odoo exports now}."""
    odoo_bin = [venv_python, os.path.join(connector_repo, 'tools', 'odoo-bin'),
                '-c', odoo_config_path, '--max-cron-threads=0']
    archive = str(tmp_path_factory.mktemp('i18n') / 'pots.tgz')
    with TemplateCopies(odoo_config_path, 'i18n_') as databases:
        db = databases.create('pot')
        _run(odoo_bin + ['-d', db, '--http-port=%d' % free_port(), '-i', 'connector_example',
                         '--without-demo=all', '--stop-after-init'], connector_repo)
        # .tgz: one ADDON/i18n/ADDON.pot per addon (Odoo 11 has no .pot format)
        _run(odoo_bin + ['-d', db, '--http-port=%d' % free_port(),
                         '--i18n-export=%s' % archive, '--modules=%s' % ','.join(POT_ADDONS)],
             connector_repo)
    pots = {}
    with tarfile.open(archive) as tar:
        for addon in POT_ADDONS:
            member = tar.extractfile('%s/i18n/%s.pot' % (addon, addon))
            pots[addon] = member.read().decode('utf-8')
    return pots


@pytest.fixture(scope='module')
def exported_shop(connector_repo, venv_python, tmp_path_factory):
    """{addon: text of the .pot Odoo exports now} of the shop Odoo's addons."""
    archive = str(tmp_path_factory.mktemp('i18n-shop') / 'pots.tgz')
    db = 'connector_test_i18n_shop_%d' % os.getpid()
    shop_odoo.create_shop_db(db, addons=SHOP_POT_ADDONS)
    try:
        _run([venv_python, os.path.join(connector_repo, 'tools', 'odoo-bin'),
              '-c', shop_odoo.SHOP_CONFIG, '--max-cron-threads=0', '-d', db,
              '--http-port=%d' % free_port(), '--i18n-export=%s' % archive,
              '--modules=%s' % ','.join(SHOP_POT_ADDONS)], connector_repo)
    finally:
        shop_odoo.pg.drop_db(db, shop_odoo.FILESTORE)
    with tarfile.open(archive) as tar:
        return {addon: tar.extractfile('%s/i18n/%s.pot' % (addon, addon)).read().decode('utf-8')
                for addon in SHOP_POT_ADDONS}


def _comparable(text):
    """The template without its header dates and the line numbers of the code
    references: a line added above a ``_()`` call changes no term."""
    return CODE_LINE_RE.sub(r'\1', HEADER_DATES_RE.sub('', text))


@pytest.mark.parametrize('addon', POT_ADDONS + SHOP_POT_ADDONS)
def test_pot_is_odoo_export_of_current_terms(request, connector_repo, addon):
    """The committed i18n/ADDON.pot equals Odoo's export, header dates and the
    line numbers of code references aside."""
    exported = request.getfixturevalue(
        'exported_shop' if addon in SHOP_POT_ADDONS else 'exported')
    path = os.path.join(connector_repo, addon, 'i18n', '%s.pot' % addon)
    committed = ''
    if os.path.exists(path):
        with open(path, encoding='utf-8') as fh:
            committed = fh.read()
    if os.environ.get(UPDATE_VARIABLE):
        if HEADER_DATES_RE.sub('', committed) == HEADER_DATES_RE.sub('', exported[addon]):
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as fh:
            fh.write(exported[addon])
        pytest.skip('%s written: review and commit it' % os.path.relpath(path, connector_repo))
    if _comparable(committed) == _comparable(exported[addon]):
        return
    diff = list(difflib.unified_diff(
        _comparable(committed).splitlines(), _comparable(exported[addon]).splitlines(),
        'committed', 'exported now', lineterm='', n=1))
    pytest.fail('%s is not up to date with the addon\'s terms. Regenerate it with:\n    %s\n'
                'then update the translations of the addon (msgmerge) and commit.\n'
                'Differences (first 40 lines):\n%s'
                % (os.path.relpath(path, connector_repo), REGENERATE, '\n'.join(diff[:40])),
                pytrace=False)


def _catalog(path):
    with open(path, 'rb') as fh:
        return read_po(fh)


def test_french_translation_of_the_example_is_complete(connector_repo):
    """fr.po translates every term of connector_example.pot, no other, same placeholders."""
    i18n = os.path.join(connector_repo, 'connector_example', 'i18n')
    template = _catalog(os.path.join(i18n, 'connector_example.pot'))
    french = _catalog(os.path.join(i18n, 'fr.po'))
    assert str(french.locale) == 'fr'
    terms = {message.id for message in template if message.id}
    translated = {message.id: message.string for message in french if message.id}
    assert sorted(terms - set(translated)) == [], 'missing in fr.po: run msgmerge'
    assert sorted(set(translated) - terms) == [], 'obsolete in fr.po: run msgmerge'
    untranslated = sorted(term for term, text in translated.items() if not text)
    assert untranslated == []
    for term, text in translated.items():
        assert re.findall(r'%[sd]', text) == re.findall(r'%[sd]', term), term


@pytest.fixture
def french_env():
    """An env of the pytest database where Odoo loaded connector_example's fr.po
    as it does for an installed language; rolled back afterwards."""
    registry = odoo.registry(os.environ.get('CONNECTOR_TEST_DB') or odoo.tools.config['db_name'])
    with api.Environment.manage(), registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            module = env['ir.module.module'].search([('name', '=', 'connector_example')])
            assert module.state == 'installed'
            module._update_translations('fr_FR')
            yield env(context={'lang': 'fr_FR'})
        finally:
            cr.rollback()
            registry.clear_caches()


def test_odoo_loads_french_translation_of_the_example(french_env):
    """Menu, field label, selection value and code message appear in French."""
    assert french_env.ref('connector_example.example_backend_menu').name == "Backends d'exemple"
    field = french_env['example.backend'].fields_get(['import_partners_since', 'deletion_mode'])
    assert field['import_partners_since']['string'] == 'Importer les partenaires depuis'
    assert ('archive', 'Archiver le partenaire distant') in field['deletion_mode']['selection']
    source = french_env['ir.translation']._get_source(None, ('code',), 'fr_FR',
                                                      'Failed jobs of %s')
    assert source == 'Tâches en échec de %s'
