# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job graphs: jobs that run only once other jobs are done.

A connector that must import a company before its contacts describes the
jobs first, links them, then stores them all at once::

    company = import_record.delayable(session, 'shop.res.partner', backend, 'C-1')
    contacts = group(*(import_record.delayable(session, 'shop.res.partner',
                                               backend, external_id)
                       for external_id in ('P-1', 'P-2')))
    uuids = chain(company, contacts).delay()   # three uuids, in this order

* ``func.delayable(session, model_name, *args, **options)`` (a ``@job``
  function) and ``records.delayable(**options).method(*args)`` (a ``@job``
  method) describe one job: a ``Delayable``, not stored yet. The options
  are those of ``delay()`` / ``with_delay()``.
* ``chain(a, b, c)``: each runs once the previous one is done;
  ``group(a, b, c)``: no order among them, and what follows a group waits
  for all of it. They nest: ``chain(group(a, b), c, group(d, e))``.
* ``a.on_done(b, c)``: b and c wait for a (for a chain: its last step; for
  a group: all of it), for any shape. A link that would close a cycle is
  refused at once (``JobError``), before anything is stored.
* ``.delay()`` on any part stores every job linked to it, in the current
  transaction, and returns the uuids: a ``Delayable`` its uuid, a chain or
  group the list of its jobs' uuids in the order given. If it fails,
  nothing is stored. The jobs share a ``graph_uuid`` (the job list can be
  filtered on it); the links are rows of ``queue_job_dependency``.

How the graph runs: a job with dependencies is stored in state
``wait_dependencies``, which no worker claims; the transaction that marks
its last dependency done makes it pending (``QueueStore.record_outcome``).
A failed dependency keeps its dependents waiting ("Waits for failed job
..." on the job's form): requeue it and the graph goes on; set it done and
its dependents run without it; cancel it and every job downstream of it is
cancelled too (requeueing it later makes them wait again).

Identity keys keep working: a job whose ``identity_key`` is held by an
unfinished job is not stored, and the jobs of the graph that depend on it
wait for that job instead. The existing job keeps its own dependencies:
the ones given in this graph are not added to it. When that job was
committed after the current transaction began (it cannot see it, so it
cannot link to it) and jobs of the graph wait for it, ``delay()`` raises
PostgreSQL's serialization failure (``TransactionRollbackError``) and
stores nothing: the transaction is to be retried, as Odoo retries a request
and the runner a job.

Coalesce keys work alike: a job whose ``coalesce_key`` has a job waiting to
start is not stored, the jobs of the graph that depend on it wait for that
one, and it keeps its own dependencies (``Job.store`` tells the rest).
"""
import uuid as uuid_module
from typing import Dict, List, Optional, Set

from odoo import sql_db

from ..exception import JobError
from .store import QueueStore


class _Part(object):
    """A part of a job graph: one job (``Delayable``) or a ``chain`` / ``group``."""

    def _heads(self) -> List['Delayable']:
        """The jobs of this part that wait for what comes before it."""
        raise NotImplementedError

    def _tails(self) -> List['Delayable']:
        """The jobs of this part that what comes after it waits for."""
        raise NotImplementedError

    def _members(self) -> List['Delayable']:
        """The jobs of this part, in the order given, each once."""
        raise NotImplementedError

    def on_done(self, *parts: '_Part') -> '_Part':
        """Make ``parts`` wait until this part is done; returns self."""
        for part in parts:
            _link(self, part)
        return self

    def delay(self):
        """Store every job linked to this part, in the current transaction; the
        uuids of this part's jobs (see the module docstring)."""
        _store_graph(self._members())
        return [node.uuid for node in self._members()]


class Delayable(_Part):
    """One job of a graph, described but not stored yet.

    Built by ``func.delayable(...)`` or ``records.delayable(...).method(...)``
    (``job`` is the ``Job`` to store, ``env`` the environment to store it
    with). After ``delay()``, ``uuid`` is the stored job's (or that of the
    unfinished job with the same identity key).
    """

    def __init__(self, job, env):
        self.job = job
        self.env = env
        self.dependencies = []  # type: List[Delayable]
        self.dependents = []  # type: List[Delayable]
        self.stored = False
        #: True when an unfinished job with the same identity key (or a waiting
        #: job with the same coalesce key) was found.
        self.deduplicated = False

    @property
    def uuid(self) -> str:
        return self.job.uuid

    def _heads(self):
        return [self]

    def _tails(self):
        return [self]

    def _members(self):
        return [self]

    def delay(self):
        """Store this job and every job linked to it; this job's uuid."""
        _store_graph([self])
        return self.uuid

    def __repr__(self):
        return '<Delayable %s %r>' % (self.job.func_string, self.job.description)

    def _label(self):
        """The call, as a person recognizes it: ``module.func('model', 'C-1')``."""
        job = self.job
        parts = [repr(job.model_name)] if job.model_name and not job.method_name else []
        parts += [repr(arg) for arg in job.args]
        parts += ['%s=%r' % item for item in sorted(job.kwargs.items())]
        text = ', '.join(parts)
        return '%s(%s)' % (job.func_string, text if len(text) <= 60 else text[:59] + '...')


class _Composite(_Part):

    kind = ''

    def __init__(self, *parts):
        if not parts:
            raise JobError('%s() needs at least one job' % self.kind)
        for part in parts:
            if not isinstance(part, _Part):
                raise JobError('%s(): %r is not a job of a graph: build it with '
                               '.delayable(), chain() or group()' % (self.kind, part))
        self.parts = parts

    def _members(self):
        seen = []  # type: List[Delayable]
        for part in self.parts:
            seen.extend(node for node in part._members() if node not in seen)
        return seen

    def __repr__(self):
        return '%s(%s)' % (self.kind, ', '.join(map(repr, self.parts)))


class Chain(_Composite):
    """Each part runs once the previous one is done (built by ``chain()``)."""

    kind = 'chain'

    def __init__(self, *parts):
        super().__init__(*parts)
        for before, after in zip(parts, parts[1:]):
            _link(before, after)

    def _heads(self):
        return self.parts[0]._heads()

    def _tails(self):
        return self.parts[-1]._tails()


class Group(_Composite):
    """Parts with no order among them; what follows waits for all of them
    (built by ``group()``)."""

    kind = 'group'

    def _heads(self):
        return [node for part in self.parts for node in part._heads()]

    def _tails(self):
        return [node for part in self.parts for node in part._tails()]


def chain(*parts: _Part) -> Chain:
    """``parts`` (jobs, chains, groups) one after the other: each waits until
    the previous one is done."""
    return Chain(*parts)


def group(*parts: _Part) -> Group:
    """``parts`` with no order among them; what follows the group waits for all."""
    return Group(*parts)


def _path(start: Delayable, goal: Delayable) -> Optional[List[Delayable]]:
    """The jobs from ``start`` to ``goal`` following what waits for what, or None."""
    stack = [[start]]
    seen = {id(start)}
    while stack:
        path = stack.pop()
        if path[-1] is goal:
            return path
        for node in path[-1].dependents:
            if id(node) not in seen:
                seen.add(id(node))
                stack.append(path + [node])
    return None


def _link(before: _Part, after: _Part):
    """Make the heads of ``after`` wait for the tails of ``before``; refuse a cycle."""
    for tail in before._tails():
        for head in after._heads():
            for node in (tail, head):
                if node.stored:
                    raise JobError('job %s is already stored (delay() was called): '
                                   'link jobs before calling delay()' % node._label())
            if head in tail.dependents:
                continue
            cycle = _path(head, tail)
            if cycle is not None:
                raise JobError(
                    'job graph cycle refused: %s cannot wait for %s, which already waits '
                    'for it (%s); nothing was stored'
                    % (head._label(), tail._label(),
                       ' -> '.join(node._label() for node in cycle + [head])))
            tail.dependents.append(head)
            head.dependencies.append(tail)


def _connected(starts: List[Delayable]) -> List[Delayable]:
    """Every job linked to ``starts``, directly or not, in a topological order
    (each after the jobs it waits for)."""
    seen = {id(start): start for start in starts}  # type: Dict[int, Delayable]
    stack = list(starts)
    while stack:
        node = stack.pop()
        for other in node.dependencies + node.dependents:
            if id(other) not in seen:
                seen[id(other)] = other
                stack.append(other)
    order = []
    done = set()  # type: Set[int]

    def visit(node):
        if id(node) in done:
            return
        done.add(id(node))
        for dependency in node.dependencies:
            visit(dependency)
        order.append(node)
    for node in seen.values():
        visit(node)
    return order


def _store_graph(starts: List[Delayable]):
    """Store the graph of ``starts`` in their environment's transaction."""
    nodes = _connected(starts)
    start = starts[0]
    stored = [node for node in nodes if node.stored]
    if stored:
        raise JobError('job %s is already stored: delay() stores a graph once'
                       % stored[0]._label())
    env = start.env
    for node in nodes:
        if node.env.cr is not env.cr:
            raise JobError('job %s is delayed in another transaction than %s: build a '
                           'graph with one environment' % (node._label(), start._label()))
    graph_uuid = str(uuid_module.uuid4()) if len(nodes) > 1 else None
    # every argument is encoded before anything is stored
    rows = [node.job.values(node.env) for node in nodes]
    store = QueueStore(env.cr)
    with env.cr.savepoint():
        unkeyed = []
        for node, row in zip(nodes, rows):
            row['state'] = 'wait_dependencies' if node.dependencies else 'pending'
            row['graph_uuid'] = graph_uuid
            if row['identity_key'] or row['coalesce_key']:
                # Transaction T delays chain(import of company C-1 with key K, its
                # contacts) while transaction U, begun after T, stores the import of
                # C-1 with key K and commits first. T cannot see U's job, so it
                # could not link the contacts to it: they would wait for nothing and
                # the next upkeep would run them before the company is imported. So
                # a keyed job that others wait for lets PostgreSQL's serialization
                # failure through: T is retried (Odoo retries a request, the runner
                # a job) and then sees U's job and links to it.
                new_cursor = None if node.dependents else (
                    lambda: sql_db.db_connect(env.cr.dbname).cursor())
                found = store.enqueue(row, new_cursor=new_cursor)
                if found != node.job.uuid:
                    node.deduplicated = True
                    node.job.uuid = found
            else:
                unkeyed.append(row)
        store.enqueue_many(unkeyed)
        store.link_dependencies(
            (node.uuid, dependency.uuid) for node in nodes if not node.deduplicated
            for dependency in node.dependencies)
    for node, row in zip(nodes, rows):
        node.stored = True
        node.job.state = row['state']
