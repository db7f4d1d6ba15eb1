# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The three order endpoints a connector needs and oscar-api 3.3 does not have.

oscar-api's admin order API (``/api/admin/orders/``) was read and tried:
it lists orders newest first with no filter (a delta poll would read
every page every time), its order has no change date (oscar's Order has
none), its ``owner`` is a link to ``/api/users/<pk>/``, a view that only
shows a customer to herself (staff get 404), its lines are one more
request and carry no SKU, and it has no way to change an order's status
(it retrieves and deletes only). Hence, for staff (``IsAdminUser``):

``GET  /api/connector/orders/?updated_after=<ISO 8601>&page=<n>``
    orders changed after a moment (``OrderStamp``), oldest change first,
    paginated: the delta poll.
``GET  /api/connector/orders/<id>/``
    one order with its customer, addresses, lines (SKU, prices before and
    after discounts) and discounts: one request per imported order.
``POST /api/connector/orders/<id>/status/`` ``{"status": "shipped"}``
    oscar's ``Order.set_status`` (the pipeline of the settings decides
    what is allowed; the current status again is a no-op, so a retry is
    harmless).
"""
from django.db.models import F
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from oscar.apps.order.exceptions import InvalidOrderStatus
from oscar.core.loading import get_model
from rest_framework import status as http
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from .serializers import order_detail, order_summary

Order = get_model('order', 'Order')


def _orders():
    return Order.objects.select_related('user', 'shipping_address', 'billing_address') \
        .annotate(changed=Coalesce(F('connector_stamp__date_updated'), F('date_placed')))


class OrderChangesView(GenericAPIView):
    """The delta list (see module doc)."""

    permission_classes = (IsAdminUser,)

    def get_queryset(self):
        orders = _orders().order_by('changed', 'pk')
        raw = self.request.query_params.get('updated_after')
        if raw:
            moment = parse_datetime(raw)
            if moment is None or moment.tzinfo is None:
                raise ValidationError({'updated_after': 'an ISO 8601 date and time with its '
                                       'offset, e.g. 2026-01-31T12:00:00+00:00; got %r'
                                       % raw[:64]})
            orders = orders.filter(changed__gt=moment)
        return orders

    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([order_summary(o, o.changed) for o in page])


class OrderView(APIView):
    """One order, whole (see module doc)."""

    permission_classes = (IsAdminUser,)

    def get(self, request, pk):
        order = get_object_or_404(_orders(), pk=pk)
        return Response(order_detail(order, order.changed))


class OrderStatusView(APIView):
    """Move an order along the status pipeline (see module doc)."""

    permission_classes = (IsAdminUser,)

    def post(self, request, pk):
        order = get_object_or_404(Order.objects.select_for_update(), pk=pk)
        wanted = request.data.get('status')
        if not isinstance(wanted, str) or not wanted:
            raise ValidationError({'status': 'required: one of %s'
                                   % ', '.join(Order.all_statuses())})
        try:
            order.set_status(wanted)
        except InvalidOrderStatus as err:
            return Response({'detail': str(err), 'status': order.status,
                             'allowed_statuses': list(order.available_statuses())},
                            status=http.HTTP_409_CONFLICT)
        order = _orders().get(pk=pk)
        return Response(order_summary(order, order.changed))
