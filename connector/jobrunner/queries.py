# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Moved to ``connector/queue/queries.py``: the queue's statements are shared by
producer and worker. Kept for ``connector/tests/test_job_delay.py``, which
still imports it from here."""
from ..queue.queries import *  # noqa: F401,F403
