from odoo.addons.connector.connector import install_in_connector

from . import backend
from . import consumers
from . import models
from . import units

install_in_connector()
