# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job queue: delaying (``job``), storage encoding, and the Job object."""
