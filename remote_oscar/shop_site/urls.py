# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""URLs: oscar-api under /api/, the connector's own endpoints under
/api/connector/, oscar's shop and dashboard pages under / (oscar's code
reverses their names)."""
from django.apps import apps
from django.urls import include, path

urlpatterns = [
    path('api/connector/', include('connector_webhooks.urls')),
    path('api/', include('oscarapi.urls')),
    path('', include(apps.get_app_config('oscar').urls[0])),
]
