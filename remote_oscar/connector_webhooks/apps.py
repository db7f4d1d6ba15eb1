# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from django.apps import AppConfig


class ConnectorWebhooksConfig(AppConfig):
    """Connects the order signal receivers when Django starts."""

    name = 'connector_webhooks'
    verbose_name = 'Connector webhooks'
    default_auto_field = 'django.db.models.BigAutoField'

    def ready(self):
        from . import receivers  # noqa: F401  (connects the receivers)
