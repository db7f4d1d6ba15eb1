# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The units of the example connector, one role per module:

- ``adapter``: talks XML-RPC to the remote Odoo (the only module that does);
- ``binder``: links local and remote partner ids (default implementation);
- ``import_mapper`` / ``export_mapper``: remote record <-> local values;
- ``synchronizers``: importer, batch importer, exporter, deleter;
- ``webhook_handler``: the jobs of the partner events the remote pushes.
"""
from . import adapter
from . import binder
from . import export_mapper
from . import import_mapper
from . import synchronizers
from . import webhook_handler
