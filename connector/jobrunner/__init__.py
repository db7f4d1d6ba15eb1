# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job runner: the worker process that runs the stored jobs.

``runner.py`` is the loop (its operator's manual: ``MANUAL.rst``); ``database.py`` a
worker's connections to one database and the heartbeat thread;
``execute.py`` one job's transaction. They reach the queue's tables only
through ``connector/queue/store.py``; channels, retry delays and the
outcome table are in ``connector/queue/`` too.
"""
