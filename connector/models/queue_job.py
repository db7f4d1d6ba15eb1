# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stored jobs: one row per delayed call, followed by the job runner."""
import json
import time
from datetime import datetime, timedelta

from odoo import _, api, exceptions, fields, models

from ..queue.job import JOB_FUNCTIONS, Job
from ..queue.store import QueueStore
from .graph_drawing import draw_graph

STATES = [
    ('wait_dependencies', 'Waiting for dependencies'),
    ('pending', 'Pending'),
    ('enqueued', 'Enqueued'),
    ('started', 'Started'),
    ('done', 'Done'),
    ('failed', 'Failed'),
    ('cancelled', 'Cancelled'),
]

#: Days a done job is kept before the vacuum cron deletes it; override with
#: the system parameter ``connector.queue_job_keep_days``.
DEFAULT_KEEP_DAYS = 30

#: The job form draws at most this many jobs of a graph.
GRAPH_DRAWING_LIMIT = 150


class QueueJob(models.Model):
    """A job: a call to a ``@job`` function or method, run later by a worker.

    Jobs are inserted by ``delay()`` / ``with_delay()`` and changed by the
    runner, both through ``queue/store.py`` (statements in
    ``queue/sql/queries.sql``); people follow them here and requeue, set done or
    cancel them. The state ``enqueued`` is never set by this runner (a
    claimed job goes from pending to started); it is kept for the classic
    connector's API.
    """

    _name = 'queue.job'
    _description = 'Connector Job'
    _order = 'date_created DESC, id DESC'
    _rec_name = 'name'

    # no index=True: the unique constraint's index serves the lookups; a second
    # index on random uuids would slow every insert. Nor on state, func_string
    # and channel: every start and every end of a job writes a new entry in
    # each index of the whole table (measured: a quarter of a claim's start),
    # and the partial indexes of queue/sql/schema.sql serve each state.
    uuid = fields.Char(string='UUID', readonly=True, required=True)
    name = fields.Char(string='Description', readonly=True)
    state = fields.Selection(STATES, readonly=True, required=True, default='pending')
    func_string = fields.Char(string='Function', readonly=True)
    model_name = fields.Char(string='Model', readonly=True)
    method_name = fields.Char(readonly=True)
    record_ids = fields.Text(string='Record IDs', readonly=True)
    args = fields.Text(string='Arguments', readonly=True)
    kwargs = fields.Text(string='Keyword Arguments', readonly=True)
    arguments_display = fields.Text(string='Call', compute='_compute_arguments_display')
    has_related_action = fields.Boolean(compute='_compute_has_related_action')
    user_id = fields.Many2one('res.users', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    channel = fields.Char(readonly=True)
    priority = fields.Integer(readonly=True)
    eta = fields.Datetime(string='Execute only after', readonly=True)
    retry = fields.Integer(string='Tries', readonly=True)
    max_retries = fields.Integer(readonly=True,
                                 help='How many tries before the job fails; 0: no limit.')
    identity_key = fields.Char(readonly=True)
    coalesce_key = fields.Char(
        readonly=True, help='While this job waits to start, delays with the same key join it '
                            'instead of storing another job.')
    # what the job is about, told by who delayed it (queue/about.py); the
    # indexes are the queue's (queries.CREATE_INDEXES)
    about_model = fields.Char(string='About model', readonly=True,
                              help='The model of the record the job works on.')
    about_id = fields.Integer(string='About record', readonly=True,
                              help='The id of the record the job works on; empty when it '
                                   'works on several.')
    backend_model = fields.Char(readonly=True,
                                help='The model of the backend the job is counted with.')
    backend_id = fields.Integer(readonly=True,
                                help='The id of the backend the job is counted with: the '
                                     'external system it talks to.')
    result = fields.Text(readonly=True)
    exc_info = fields.Text(string='Exception', readonly=True)
    worker_name = fields.Char(string='Worker', readonly=True)
    date_created = fields.Datetime(string='Created', readonly=True)
    date_started = fields.Datetime(string='Started', readonly=True)
    date_done = fields.Datetime(string='Ended', readonly=True)
    # a job graph (queue/graph.py): the links are rows of queue_job_dependency
    graph_uuid = fields.Char(string='Graph', readonly=True,
                             help='Shared by the jobs stored by one delay() of a job graph.')
    dependency_ids = fields.Many2many(
        'queue.job', 'queue_job_dependency', 'job_id', 'depends_on_id', string='Depends on',
        readonly=True, help='Jobs that must be done before this one runs.')
    dependent_ids = fields.Many2many(
        'queue.job', 'queue_job_dependency', 'depends_on_id', 'job_id', string='Needed by',
        readonly=True, help='Jobs that wait for this one to be done.')
    waiting_reason = fields.Char(compute='_compute_waiting_reason')
    has_graph = fields.Boolean(compute='_compute_has_graph')
    graph_svg = fields.Html(string='Graph drawing', compute='_compute_graph_svg',
                            sanitize=False)

    # The state invariants every statement of queue/sql/queries.sql keeps:
    # checked by PostgreSQL, so that no writer (a script, a future statement)
    # leaves a started job no worker can be found for, or an ended job the
    # vacuum cannot date.
    _sql_constraints = [
        ('uuid_uniq', 'unique(uuid)', 'The UUID of a job must be unique.'),
        ('started_has_worker', "CHECK (state <> 'started' OR worker_name IS NOT NULL)",
         'A started job names the worker that runs it (worker_name).'),
        ('date_done_when_ended',
         "CHECK ((state IN ('done', 'failed', 'cancelled')) = (date_done IS NOT NULL))",
         'A job has an end date (date_done) exactly when it is done, failed or cancelled.'),
    ]

    @api.depends('dependency_ids', 'dependent_ids')
    def _compute_has_graph(self):
        for job in self:
            job.has_graph = bool(job.dependency_ids or job.dependent_ids)

    @api.depends('dependency_ids', 'dependent_ids', 'state')
    def _compute_graph_svg(self):
        """The jobs linked to this one, directly or not, drawn as SVG
        (``models/graph_drawing.py`` says why SVG drawn here)."""
        for job in self:
            if not job.has_graph:
                job.graph_svg = False
                continue
            labels = dict(self._fields['state']._description_selection(self.env))
            jobs = seen = job
            while seen and len(jobs) < GRAPH_DRAWING_LIMIT:
                seen = (seen.mapped('dependency_ids') | seen.mapped('dependent_ids')) - jobs
                jobs |= seen
            jobs = jobs[:GRAPH_DRAWING_LIMIT]
            edges = [(dependency.id, other.id) for other in jobs
                     for dependency in other.dependency_ids]
            job.graph_svg = draw_graph(
                [(other.id, other.name or other.uuid, other.state) for other in jobs], edges,
                current=job.id, state_labels=labels)

    @api.depends('state', 'dependency_ids.state')
    def _compute_waiting_reason(self):
        """What a waiting job waits for; a failed dependency is named first."""
        for job in self:
            if job.state != 'wait_dependencies':
                job.waiting_reason = False
                continue
            failed = job.dependency_ids.filtered(lambda dependency: dependency.state == 'failed')
            if failed:
                job.waiting_reason = _(
                    'Waits for failed job %(uuid)s (%(name)s): requeue it, set it done or '
                    'cancel it.') % {'uuid': failed[0].uuid, 'name': failed[0].name}
                continue
            unfinished = job.dependency_ids.filtered(lambda dependency: dependency.state != 'done')
            job.waiting_reason = _('Waits for %d job(s) to be done.') % len(unfinished)

    @api.depends('func_string', 'method_name')
    def _compute_has_related_action(self):
        """Whether "Open related record" can open something: a method job opens
        its records; a function job needs a ``@related_action``."""
        for job in self:
            func = JOB_FUNCTIONS.get(job.func_string)
            job.has_related_action = bool(
                job.method_name or (func and getattr(func, 'related_action', None)))

    @api.depends('func_string', 'record_ids', 'args', 'kwargs')
    def _compute_arguments_display(self):
        for job in self:
            parts = []
            for text in (job.args, job.kwargs):
                try:
                    parts.append(json.dumps(json.loads(text or 'null'), indent=2,
                                            sort_keys=True, ensure_ascii=False))
                except ValueError:
                    parts.append(text or '')
            target = job.func_string or ''
            if job.method_name:
                target = '%s(%s).%s' % (job.model_name, job.record_ids, job.method_name)
            elif job.model_name:
                target = '%s(session, %r, ...)' % (job.func_string, job.model_name)
            job.arguments_display = '%s\n\nargs = %s\n\nkwargs = %s' % (target, parts[0], parts[1])

    # -- actions -------------------------------------------------------------------

    def _check_may_decide(self):
        """The store's statements bypass the ORM: check here that this user may
        change these jobs (Connector Managers only), as a write() would."""
        self.check_access_rights('write')
        self.check_access_rule('write')

    def _refuse_running(self, action, running):
        """Raise when the store refused ``action`` because of running jobs."""
        if running:
            raise exceptions.UserError(_(
                'Cannot %(action)s job(s) %(jobs)s: they are running now. Wait until they '
                'end, then try again; nothing was changed.') % {
                    'action': action,
                    'jobs': ', '.join('%s (%s)' % (uuid, name) for uuid, name in running)})

    @api.multi
    def button_requeue(self):
        """Put failed, cancelled or done jobs back in the queue, tries reset.

        A job of a graph whose dependencies are not all done waits for them
        again; the jobs downstream of it that were cancelled with it wait
        again too, so requeueing a failed or cancelled job resumes its graph
        (``queue/sql/queries.sql``, REQUEUE_JOBS).
        """
        self._check_may_decide()
        self._refuse_running(_('requeue'), QueueStore(self.env.cr).requeue(self.ids, self.env.uid))
        self.invalidate_cache()
        return True

    @api.multi
    def button_done(self):
        """Mark jobs done without running them.

        As when a job ends done, its waiting dependents whose dependencies
        are all done become pending: "set done" on a failed job of a graph
        lets the rest of the graph run without it (SET_JOBS_DONE).
        """
        self._check_may_decide()
        self._refuse_running(_('set done'), QueueStore(self.env.cr).set_done(
            self.ids, self.env.uid, _('Set done by %s') % self.env.user.name))
        self.invalidate_cache()
        return True

    @api.multi
    def button_cancel(self):
        """Cancel jobs: they will not run (requeue them to run them after all).

        The waiting jobs that depend on them, directly or not, are cancelled
        too, with a message naming the job they depended on (CANCEL_JOBS).
        """
        self._check_may_decide()
        user = self.env.user.name
        dependent_result = _(
            'Cancelled with job %(uuid)s (%(name)s), which it depends on, by %(user)s.') % {
                'uuid': '%1$s', 'name': '%2$s', 'user': user.replace('%', '%%')}
        self._refuse_running(_('cancel'), QueueStore(self.env.cr).cancel(
            self.ids, self.env.uid, _('Cancelled by %s') % user, dependent_result))
        self.invalidate_cache()
        return True

    @api.multi
    def action_graph_jobs(self):
        """Open the list of the jobs of this job's graph."""
        self.ensure_one()
        if not self.graph_uuid:
            raise exceptions.UserError(_('Job %s is not part of a job graph.') % self.uuid)
        return {
            'type': 'ir.actions.act_window', 'res_model': 'queue.job',
            'name': _('Jobs of graph %s') % self.graph_uuid, 'view_mode': 'tree,form',
            'context': {'search_default_graph_uuid': self.graph_uuid},
        }

    @api.multi
    def open_related_action(self):
        """Open the record the job is about (see ``related_action``)."""
        self.ensure_one()
        job = Job.load(self.env, self.uuid)
        env = self.env(user=self.user_id.id or self.env.uid)
        try:
            action = job.related_action(env)
        except Exception as err:
            raise exceptions.UserError(_('Job %(job)s has no record to open: %(error)s') % {
                'job': self.uuid, 'error': err}) from err
        if not action:
            raise exceptions.UserError(_('Job %s has no related record.') % self.uuid)
        return action

    # -- business --------------------------------------------------------------------

    @api.model
    def _backend_job_ids(self, model_name, backends, states):
        """The jobs of ``model_name`` counted with each of ``backends``, in ``states``.

        Returns ``{backend id: [job ids]}`` (backends without such jobs are
        left out), in one grouped query on an index, whatever the number of
        backends: what a backend's status panel counts and its buttons open.
        A job is counted with the backend its producer stored with it
        (``backend_model``, ``backend_id``: ``queue/about.py``); the
        connector's job functions and ``with_delay()`` on bindings store it.
        """
        backend_ids = [backend_id for backend_id in backends.ids if isinstance(backend_id, int)]
        if not backend_ids or not states:
            return {}
        return QueueStore(self.env.cr).backend_job_ids(backends._name, backend_ids,
                                                       model_name, states)

    @api.model
    def autovacuum(self, days=None, batch_size=1000, commit=False, max_seconds=600,
                   pause_ratio=1.0):
        """Delete done and cancelled jobs ended more than ``days`` days ago, in batches.

        ``days`` defaults to the system parameter
        ``connector.queue_job_keep_days`` (30 when unset). Failed jobs are
        kept. The daily cron passes ``commit=True``: each batch of
        ``batch_size`` jobs is committed on its own (short transactions, few
        locks: workers keep running jobs meanwhile), then it pauses
        ``pause_ratio`` times as long as the batch took, so that the purge
        takes at most half of a core by default (measured: without the
        pause, a million deletions in 16 s halved the workers' throughput;
        see ``benchmarks/bench_retention.py``). The run stops after
        ``max_seconds``, the next run going on. Returns how many were deleted.
        """
        if days is None:
            param = self.env['ir.config_parameter'].sudo().get_param(
                'connector.queue_job_keep_days', str(DEFAULT_KEEP_DAYS))
            try:
                days = int(param)
            except ValueError as err:
                raise exceptions.UserError(_(
                    'System parameter connector.queue_job_keep_days is %r: set a whole '
                    'number of days.') % param) from err
        before = datetime.utcnow() - timedelta(days=days)
        store = QueueStore(self.env.cr)
        deadline = time.time() + max_seconds
        deleted = 0
        while True:
            started = time.time()
            batch = store.delete_done_jobs(before, limit=batch_size)
            deleted += batch
            if commit:  # only the cron asks: a batch at a time, on the cron's cursor
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if batch < batch_size or time.time() > deadline:
                break
            if commit and pause_ratio:
                time.sleep((time.time() - started) * pause_ratio)
        self.invalidate_cache()
        return deleted
