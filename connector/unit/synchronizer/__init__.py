# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Synchronizers: the units that run one synchronization.

``Importer.run(external_id)`` imports one external record,
``Exporter.run(binding_id)`` exports one binding, ``Deleter.run(external_id)``
deletes one external record, and the batch importers list the external
records to import and import (or delay) each one.
"""
from .base import Synchronizer
from .batch_importer import BatchImporter, DelayedBatchImporter, DirectBatchImporter
from .deleter import Deleter
from .exporter import Exporter
from .importer import Importer

from . import jobs  # noqa: F401  (registers the job functions)

__all__ = ['BatchImporter', 'DelayedBatchImporter', 'Deleter', 'DirectBatchImporter',
           'Exporter', 'Importer', 'Synchronizer']
