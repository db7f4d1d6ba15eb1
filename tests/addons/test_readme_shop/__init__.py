from odoo.addons.connector.connector import install_in_connector

from . import models
from . import units

install_in_connector()
