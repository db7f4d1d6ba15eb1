# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The units of the shop connector, one role per module:

- ``adapter``: the shop's REST API (the only module that talks to it);
- ``binder``: links local and shop ids (default implementation);
- ``product``: catalogue out (mapper, exporter, created once by SKU);
- ``quantities``, ``stock``: stock out (the quantity available to sell);
- ``customer``, ``order``: customers and orders in (the order's lines as
  mapper children, its customer imported first);
- ``order_status``: a shipped order's state out;
- ``jobs``: the jobs of stock and order state out;
- ``webhook_handler``: the order events the shop pushes.
"""
from . import adapter
from . import binder
from . import customer
from . import jobs
from . import order
from . import order_status
from . import product
from . import quantities
from . import stock
from . import webhook_handler
