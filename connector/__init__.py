from . import cli
from . import controllers
from . import models
from . import unit
from .installed import install_in_connector

install_in_connector()


def post_load():
    """Odoo's hook when it loads the addon: webhook requests keep their body unread."""
    from .controllers.webhook_request import install
    install()
