from . import cli
from . import controllers
from . import models
from . import unit
from .installed import install_in_connector
from .queue.store import QueueStore

install_in_connector()


def uninstall_hook(cr, registry):
    """Drop the queue's SQL functions: PostgreSQL keeps them when the tables go."""
    QueueStore(cr).drop_schema_functions()


def post_load():
    """Odoo's hook when it loads the addon: webhook requests keep their body unread."""
    from .controllers.webhook_request import install
    install()
