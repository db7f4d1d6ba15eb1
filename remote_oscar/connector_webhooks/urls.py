# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from django.urls import path

from . import api

urlpatterns = [
    path('orders/', api.OrderChangesView.as_view(), name='connector-order-changes'),
    path('orders/<int:pk>/', api.OrderView.as_view(), name='connector-order'),
    path('orders/<int:pk>/status/', api.OrderStatusView.as_view(),
         name='connector-order-status'),
]
