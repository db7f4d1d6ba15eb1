# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job queue's shared core, used by producers, models and the worker.

Where to look:

* ``job.py``: ``@job`` and ``@related_action`` (``job``, ``related_action``, ``Job``
  are imported from here); ``job_functions.py``: the registry they fill (what may run);
  ``job_value.py``: ``Job``, one call (store, perform), and ``StoredJob``, a job's row
  as read (resolve it to get the ``Job``);
* ``about.py``: what a job is about (its record, the backend it is counted with, its
  channel), told by the code that delays it and stored in columns of its own;
* ``graph.py``: job graphs: ``delayable()``, ``chain()``, ``group()``, ``on_done()``
  (how a graph is stored, released, failed, cancelled, requeued); the job form draws
  one with ``models/graph_drawing.py``;
* ``encoding.py``: how arguments are stored (JSON, never pickle);
* ``store.py``: ``QueueStore``, the only code that runs SQL on the queue's tables;
* ``sql/queries.sql``: every statement it runs, named and described, read by
  ``queries.py``; ``sql/schema.sql``: the indexes, the notify trigger and the
  claim functions (created at install; changed by ``connector/migrations/``);
* ``outcome.py``: running a loaded job, and the table from exception to outcome;
* ``channels.py`` and ``retry.py``: channel configuration and retry delays (pure Python);
* ``rate_limits.py``: channel rate limits and backpressure pauses: the rule, and why it
  is applied inside the claim (pure Python; the rule is SQL, in ``sql/schema.sql``);
* ``bulk.py``: ``bulk_enqueue()``, many jobs stored with one COPY;
* ``testing.py``: ``perform_jobs()``, to run delayed jobs inside a test.

Nothing here imports ``connector/jobrunner`` (the worker process), nor names the
connector's backend and binding models: the queue does not read a job's arguments
to route or count it (check ``vocabulary`` of ``tools/static_checks.py``).
"""
