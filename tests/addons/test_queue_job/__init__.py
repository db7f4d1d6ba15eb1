from odoo.addons.connector.connector import install_in_connector

from . import cache_jobs
from . import jobs
from . import models

install_in_connector()
