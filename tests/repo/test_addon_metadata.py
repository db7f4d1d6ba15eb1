# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What Odoo's Apps shows of the packaged addons: manifest keys, icon and
description page (``static/description/``)."""
import ast
import os
import struct

import odoo
import pytest
from odoo import SUPERUSER_ID, api

PACKAGED = ['connector', 'connector_example', 'connector_oscar']
#: The manifest keys the OCA asks for, with the value each addon must have
#: where it is the same for both.
COMMON_KEYS = {
    'author': 'Connector contributors',
    'website': 'https://example.com/connector',
    'license': 'LGPL-3',
    'category': 'Connector',
    'installable': True,
}
DEVELOPMENT_STATUSES = ('Alpha', 'Beta', 'Production/Stable', 'Mature')


def _manifest(repo, addon):
    with open(os.path.join(repo, addon, '__manifest__.py')) as fh:
        return ast.literal_eval(fh.read())


@pytest.mark.parametrize('addon', PACKAGED)
def test_manifest_has_the_oca_keys(connector_repo, addon):
    manifest = _manifest(connector_repo, addon)
    assert {key: manifest.get(key) for key in COMMON_KEYS} == COMMON_KEYS
    assert manifest['development_status'] in DEVELOPMENT_STATUSES
    assert manifest['maintainers'] and all(isinstance(m, str) for m in manifest['maintainers'])
    assert manifest['summary'].strip()
    assert isinstance(manifest['application'], bool)
    assert manifest['version'].startswith('11.0.')


@pytest.mark.parametrize('addon', PACKAGED)
def test_icon_is_a_128_pixel_square_png(connector_repo, addon):
    with open(os.path.join(connector_repo, addon, 'static', 'description', 'icon.png'),
              'rb') as fh:
        head = fh.read(24)
    assert head[:8] == b'\x89PNG\r\n\x1a\n'
    assert head[12:16] == b'IHDR'
    assert struct.unpack('>II', head[16:24]) == (128, 128)


@pytest.mark.parametrize('addon', PACKAGED)
def test_apps_shows_the_description_page_and_icon(addon):
    """Odoo reads static/description/index.html into description_html, icon included."""
    registry = odoo.registry(os.environ.get('CONNECTOR_TEST_DB') or odoo.tools.config['db_name'])
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        module = env['ir.module.module'].search([('name', '=', addon)])
        name = module.shortdesc
        html, icon = module.description_html, module.icon
        cr.rollback()
    assert '<h2 class="oe_slogan">%s</h2>' % name in html
    assert 'src="/%s/static/description/icon.png"' % addon in html
    assert icon == '/%s/static/description/icon.png' % addon
