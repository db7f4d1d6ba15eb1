# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""ConnectorSessionHandler opens its own cursor: committed on success,
rolled back on error (checked from another connection)."""
import os
import uuid

import odoo
import pytest
from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler


@pytest.fixture
def db_name():
    return os.environ.get('CONNECTOR_TEST_DB') or odoo.tools.config['db_name']


@pytest.fixture
def partner_name(db_name):
    """A unique partner name, and removal of what a test committed."""
    name = 'Handler test %s' % uuid.uuid4().hex
    yield name
    with ConnectorSessionHandler(db_name, SUPERUSER_ID).session() as session:
        session.env['res.partner'].search([('name', '=', name)]).unlink()


def count_committed(db_name, name):
    """Count partners named ``name`` as another connection sees them."""
    with odoo.sql_db.db_connect(db_name).cursor() as cr:
        cr.execute('SELECT count(*) FROM res_partner WHERE name = %s', (name,))
        return cr.fetchone()[0]


def test_block_is_committed(db_name, partner_name):
    """What the block creates is committed when it ends."""
    handler = ConnectorSessionHandler(db_name, SUPERUSER_ID, context={'tz': 'UTC'})
    with handler.session() as session:
        assert session.cr.dbname == db_name
        assert session.uid == SUPERUSER_ID
        assert session.context == {'tz': 'UTC'}
        session.env['res.partner'].create({'name': partner_name})
        assert count_committed(db_name, partner_name) == 0
    assert count_committed(db_name, partner_name) == 1


def test_block_is_rolled_back_on_error(db_name, partner_name):
    """When the block raises, nothing it did is kept and the error goes through."""
    handler = ConnectorSessionHandler(db_name, SUPERUSER_ID)
    with pytest.raises(RuntimeError, match='remote refused'):
        with handler.session() as session:
            session.env['res.partner'].create({'name': partner_name})
            raise RuntimeError('remote refused')
    assert count_committed(db_name, partner_name) == 0


def test_session_user_is_the_handlers(db_name):
    """The session works as the user given to the handler."""
    with ConnectorSessionHandler(db_name, SUPERUSER_ID).session() as session:
        public = session.env.ref('base.public_user')
    with ConnectorSessionHandler(db_name, public.id).session() as session:
        assert session.env.user.id == public.id
        assert session.env.user.login == 'public'
