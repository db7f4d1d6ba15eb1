from odoo.addons.connector.connector import install_in_connector

from . import backend
from . import models
from . import units
from . import consumers

install_in_connector()
