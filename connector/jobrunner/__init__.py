# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job runner: worker processes that run the stored jobs.

See ``runner.py`` for the operator's manual. ``channels`` and ``retry`` are
pure Python; ``queries`` holds every SQL statement of the queue.
"""
