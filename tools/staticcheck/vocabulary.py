# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Check ``vocabulary``: the job queue names none of the connector's concepts.

The queue (``connector/queue/``, its SQL included) and the ``queue.job*``
models are a generic job queue: what a job is about, and the channel it
goes to, are told by the code that delays it (``connector/queue/about.py``).
Import contracts cannot see a name reached through Odoo's registry
(``env['connector.backend']``) or a regular expression run on stored
arguments: both once made the queue route and count jobs by the
connector's backends and bindings. This check reads the files for those
names, in any spelling (``connector.backend``, ``connector_backend``,
``external binding``...).
"""
import glob
import os
import re

from .venv import REPO

#: What the queue must not name: the connector's backend and binding models.
CONNECTOR_WORDS = re.compile(r'connector.backend|external.binding', re.IGNORECASE)

#: The queue's files: every file of the package (.py and .sql), and its models.
QUEUE_FILES = ('connector/queue/**/*', 'connector/models/queue_job*.py')


def queue_files():
    """Paths (relative to the repository) of the files that must not name them."""
    paths = set()
    for pattern in QUEUE_FILES:
        for path in glob.glob(os.path.join(REPO, pattern), recursive=True):
            if os.path.isfile(path) and '__pycache__' not in path:
                paths.add(os.path.relpath(path, REPO))
    return sorted(paths)


def connector_words():
    """'file:line: text' of each line of the queue's files naming a connector concept."""
    found = []
    for path in queue_files():
        with open(os.path.join(REPO, path), encoding='utf-8') as handle:
            for number, line in enumerate(handle, 1):
                if CONNECTOR_WORDS.search(line):
                    found.append('%s:%d: %s' % (path, number, line.strip()))
    return found
