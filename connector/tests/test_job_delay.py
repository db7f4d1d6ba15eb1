# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Delaying jobs and reading them back (in the test transaction, no worker)."""
from datetime import date, datetime, timedelta, timezone

import psycopg2
from odoo import exceptions, fields
from odoo.tests import common

from ..exception import FailedJobError, JobError, NoSuchJobError, NothingToDoJob, RetryableJobError
from ..queue import queries
from ..queue.about import JobAbout
from ..queue.encoding import JobArgumentError, decode_arguments, encode_arguments
from ..queue.job import JOB_FUNCTIONS, Job, job, related_action
from ..queue.outcome import classify
from ..queue.testing import perform_jobs
from ..session import ConnectorSession


@job(default_channel='root.tests', retry_pattern={1: 5, 3: 50})
def echo(session, model_name, *args, **kwargs):
    """Echo the arguments."""
    return [session.uid, model_name, list(args), kwargs]


def _open_partner(session, job, **kwargs):
    return {'res_id': job.args[0], 'marker': kwargs['marker']}


@job
@related_action(action=_open_partner, marker='partner')
def touch_partner(session, model_name, partner_id):
    return partner_id


def not_a_job(session, model_name):
    return 'should never run'


def _about_first_partner(session, model_name, partner_id, *args, **kwargs):
    """A job about the partner given first, counted with its company."""
    partner = session.env['res.partner'].browse(partner_id)
    return JobAbout('res.partner', partner.id, 'res.company', partner.company_id.id,
                    channel='root.partners')


@job(about=lambda session, model_name, *args: ('res.partner', 1))
def about_a_tuple(session, model_name):
    """A job whose hook answers a tuple: never stored."""
    return 'never stored'


@job(about=_about_first_partner)
def greet_partner(session, model_name, partner_id, greeting='Hello'):
    """Greet a partner."""
    return '%s %s' % (greeting, partner_id)


class TestJobDelay(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.session = ConnectorSession.from_env(self.env)
        self.Job = self.env['queue.job']

    def stored(self, job_uuid):
        return self.Job.search([('uuid', '=', job_uuid)])

    def test_delay_stores_a_pending_job_and_returns_its_uuid(self):
        """delay() stores function, arguments, options, user and company."""
        job_uuid = echo.delay(self.session, 'res.partner', 1, 'a', priority=3,
                              max_retries=7, description='Echo one', flag=True)
        record = self.stored(job_uuid)
        self.assertEqual(len(record), 1)
        self.assertEqual(record.state, 'pending')
        self.assertEqual(record.func_string, 'odoo.addons.connector.tests.test_job_delay.echo')
        self.assertEqual((record.priority, record.max_retries, record.retry), (3, 7, 0))
        self.assertEqual(record.channel, 'root.tests')
        self.assertEqual(record.name, 'Echo one')
        self.assertEqual(record.user_id, self.env.user)
        self.assertEqual(record.company_id, self.env.user.company_id)
        self.assertEqual(record.args, '[1,"a"]')
        self.assertEqual(record.kwargs, '{"flag":true}')
        self.assertIn('args = [\n  1,\n  "a"\n]', record.arguments_display)

    def test_defaults_and_channel_option(self):
        """Default priority 10, max_retries 5, description from the docstring."""
        record = self.stored(echo.delay(self.session, 'res.partner', channel='root.other'))
        self.assertEqual((record.priority, record.max_retries), (10, 5))
        self.assertEqual(record.name, 'Echo the arguments.')
        self.assertEqual(record.channel, 'root.other')
        self.assertIn(echo.func_string, JOB_FUNCTIONS)

    def test_about_hook_of_the_function_is_stored_and_routes_the_job(self):
        """@job(about=hook): the hook's record and backend are stored with the job, and
        its channel is the job's unless the caller names one; a job without a hook is
        about nothing."""
        partner = self.env.ref('base.main_partner')
        about = ('res.partner', partner.id, 'res.company', partner.company_id.id)
        routed = self.stored(greet_partner.delay(self.session, 'res.partner', partner.id))
        given = self.stored(greet_partner.delay(self.session, 'res.partner', partner.id,
                                                greeting='Hi', channel='root.manual'))
        plain = self.stored(echo.delay(self.session, 'res.partner', partner.id))
        for record, channel, expected in ((routed, 'root.partners', about),
                                          (given, 'root.manual', about),
                                          (plain, 'root.tests', (False, 0, False, 0))):
            self.assertEqual((record.about_model, record.about_id, record.backend_model,
                              record.backend_id, record.channel), expected + (channel,))
        outcome = perform_jobs(self.env, [('id', '=', given.id)])[given.uuid]
        self.assertEqual((outcome.state, outcome.message), ('done', 'Hi %d' % partner.id))

    def test_about_must_be_a_job_about_and_is_for_functions(self):
        """A hook giving something else than a JobAbout is refused before storing; about=
        on a model method is refused when the class is defined."""
        count = self.Job.search_count([])
        with self.assertRaises(JobError) as caught:
            about_a_tuple.delay(self.session, 'res.partner')
        self.assertIn("must be a JobAbout, not ('res.partner', 1)", str(caught.exception))
        self.assertEqual(self.Job.search_count([]), count)

        def export(records):
            return records
        export.__qualname__ = 'ShopBinding.export'  # as a method of a model class
        with self.assertRaises(JobError) as caught:
            job(about=_about_first_partner)(export)
        self.assertIn('override _job_about() on the model instead', str(caught.exception))

    def test_eta_as_seconds_timedelta_or_datetime(self):
        """eta accepts seconds, a timedelta, a naive UTC or an aware datetime."""
        before = datetime.utcnow()
        for eta in (60, timedelta(seconds=60)):
            stored = fields_eta(self.stored(echo.delay(self.session, 'res.partner', eta=eta)))
            self.assertTrue(before + timedelta(seconds=59) <= stored
                            <= datetime.utcnow() + timedelta(seconds=61), stored)
        aware = datetime(2030, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
        self.assertEqual(fields_eta(self.stored(echo.delay(self.session, 'x', eta=aware))),
                         datetime(2030, 5, 1, 12, 0))
        with self.assertRaises(JobError) as caught:
            echo.delay(self.session, 'res.partner', eta='tomorrow')
        self.assertIn("eta 'tomorrow'", str(caught.exception))

    def test_identity_key_keeps_one_unfinished_job(self):
        """A pending job with the key is returned instead of a second one; not a done one."""
        first = echo.delay(self.session, 'res.partner', 1, identity_key='export-1')
        self.assertEqual(echo.delay(self.session, 'res.partner', 2, identity_key='export-1'),
                         first)
        self.assertEqual(self.Job.search_count([('identity_key', '=', 'export-1')]), 1)
        self.stored(first).button_done()
        third = echo.delay(self.session, 'res.partner', 3, identity_key='export-1')
        self.assertNotEqual(third, first)

    def test_unserializable_argument_is_refused_before_storing(self):
        """A set, an object or a tz-aware datetime: JobArgumentError, nothing stored."""
        count = self.Job.search_count([])
        for bad, fragment in (({1, 2}, 'a set cannot be stored'),
                              (object(), 'a object cannot be stored'),
                              (b'raw', 'a bytes cannot be stored'),
                              (float('nan'), 'JSON has no NaN'),
                              ({1: 'x'}, 'must be texts'),
                              (datetime.now(timezone.utc), 'has a time zone')):
            with self.assertRaises(JobArgumentError) as caught:
                echo.delay(self.session, 'res.partner', 'ok', [bad])
            self.assertIn(fragment, str(caught.exception))
            self.assertIn('argument [1][0]', str(caught.exception))
        self.assertEqual(self.Job.search_count([]), count)

    def test_bad_options_are_refused(self):
        for options, fragment in (({'priority': -1}, 'priority -1'),
                                  ({'max_retries': 'x'}, "max_retries 'x'"),
                                  ({'channel': 'export'}, "every channel is under 'root'")):
            with self.assertRaises(JobError) as caught:
                echo.delay(self.session, 'res.partner', **options)
            self.assertIn(fragment, str(caught.exception))
        with self.assertRaises(JobError) as caught:
            Job(func=not_a_job, model_name='res.partner').store(self.env)
        self.assertIn('is not a job: decorate it with @job', str(caught.exception))
        with self.assertRaises(JobError) as caught:
            job(default_channel='nope')(not_a_job)
        self.assertIn("@job on odoo.addons.connector.tests.test_job_delay.not_a_job",
                      str(caught.exception))

    def test_arguments_round_trip_records_dates_and_datetimes(self):
        """Records, dates and datetimes come back as they went, records in the job's env."""
        partners = self.env['res.partner'].search([], limit=2)
        when = datetime(2024, 2, 29, 13, 45, 7, 120000)
        value = [partners, date(2024, 2, 29), when, {'n': [1, 2.5, None, 'é']}, (1, 2)]
        decoded = decode_arguments(encode_arguments(value), self.env)
        self.assertEqual(decoded[0], partners)
        self.assertEqual(decoded[0].env, self.env)
        self.assertEqual(decoded[1:4], [date(2024, 2, 29), when, {'n': [1, 2.5, None, 'é']}])
        self.assertEqual(decoded[4], [1, 2])
        self.assertEqual(decode_arguments(encode_arguments(datetime(2024, 1, 1)), self.env),
                         datetime(2024, 1, 1))

    def test_undecodable_arguments_give_a_clear_error(self):
        for text, fragment in (('[1,', 'not valid JSON'),
                               ('[{"_type": "pickle", "value": "x"}]', "unknown type 'pickle'"),
                               ('[{"_type": "recordset", "model": "no.such", "ids": [1]}]',
                                "model 'no.such' is in the arguments, but that model does "
                                "not exist"),
                               ('[{"_type": "date", "value": "31/12"}]', 'cannot be read back')):
            with self.assertRaises(JobArgumentError) as caught:
                decode_arguments(text, self.env)
            self.assertIn(fragment, str(caught.exception))

    def test_stored_job_performs_the_function(self):
        """Job.load, resolve and perform call the function with the session and arguments."""
        job_uuid = echo.delay(self.session, 'res.partner', 4, when=date(2020, 1, 2))
        loaded = Job.load(self.env, job_uuid).resolve(self.env)
        self.assertEqual(loaded.perform(self.env),
                         [self.env.uid, 'res.partner', [4], {'when': date(2020, 1, 2)}])
        self.assertEqual(loaded.retry_pattern, {1: 5, 3: 50})
        with self.assertRaises(NoSuchJobError):
            Job.load(self.env, 'no-such-uuid')

    def test_a_loaded_job_keeps_an_eta_whose_fraction_postgresql_shortened(self):
        """An eta read back by an Odoo cursor is text, and PostgreSQL drops the
        fraction's trailing zeros ('...08.38313'): the loaded job keeps it (Python
        3.7's fromisoformat refused it and every retried job failed)."""
        eta = datetime(2030, 12, 7, 4, 28, 8, 383130)
        job_uuid = echo.delay(self.session, 'res.partner', eta=eta)
        self.assertEqual(Job.load(self.env, job_uuid).resolve(self.env).eta, eta)

    def test_a_row_naming_an_unregistered_function_cannot_run(self):
        """Only @job functions run: a row naming anything else fails in resolve()."""
        job_uuid = echo.delay(self.session, 'res.partner')
        for func_string in ('odoo.addons.connector.tests.test_job_delay.not_a_job',
                            'os.system'):
            self.stored(job_uuid).sudo().write({'func_string': func_string})
            with self.assertRaises(FailedJobError) as caught:
                Job.load(self.env, job_uuid).resolve(self.env)
            self.assertIn("calls %r, which is not a function decorated with @job" % func_string,
                          str(caught.exception))
        self.stored(job_uuid).sudo().write({'func_string': 'res.partner.unlink',
                                            'method_name': 'unlink', 'model_name': 'res.partner',
                                            'record_ids': '[1]'})
        with self.assertRaises(FailedJobError) as caught:
            Job.load(self.env, job_uuid).resolve(self.env)
        self.assertIn('res.partner.unlink, which is not a method decorated with @job',
                      str(caught.exception))

    def test_related_action(self):
        """A related_action function gets the session, the job and its keywords."""
        partner = self.env['res.partner'].search([], limit=1)
        record = self.stored(touch_partner.delay(self.session, 'res.partner', partner.id))
        self.assertEqual(record.open_related_action(), {'res_id': partner.id,
                                                        'marker': 'partner'})
        with self.assertRaises(exceptions.UserError) as caught:
            self.stored(echo.delay(self.session, 'res.partner')).open_related_action()
        self.assertIn('has no related record', caught.exception.name)

    def test_classify_decides_the_outcome_of_each_exception(self):
        """NothingToDo: done; Retryable: pending then failed at max_retries; others: failed."""
        stored = Job.load(self.env, echo.delay(self.session, 'x', max_retries=3)).resolve(
            self.env)
        stored.retry = 1
        self.assertEqual(classify(stored, NothingToDoJob('up to date'))[:2],
                         ('done', 'up to date'))
        outcome = classify(stored, RetryableJobError('busy'))
        self.assertEqual((outcome.state, outcome.seconds, outcome.retry_delta),
                         ('pending', 5, 0))
        self.assertEqual(classify(stored, RetryableJobError('busy', seconds=2)).seconds, 2)
        stored.retry = 3
        failed = classify(stored, RetryableJobError('busy'))
        self.assertEqual(failed.state, 'failed')
        self.assertIn('Gave up after 3 tries (max_retries 3)', failed.message)
        ignored = classify(stored, RetryableJobError('busy', ignore_retry=True))
        self.assertEqual((ignored.state, ignored.retry_delta), ('pending', -1))
        stored.retry = 1
        serialization = psycopg2.extensions.TransactionRollbackError('could not serialize')
        self.assertEqual(classify(stored, serialization).state, 'pending')
        for err in (FailedJobError('refused by remote'), ZeroDivisionError('division')):
            outcome = classify(stored, err)
            self.assertEqual(outcome.state, 'failed')
            self.assertIn(type(err).__name__, outcome.message)

    def test_buttons_requeue_done_cancel(self):
        record = self.stored(echo.delay(self.session, 'res.partner'))
        record.sudo().write({'state': 'failed', 'retry': 5, 'exc_info': 'boom',
                             'date_done': fields.Datetime.now()})
        record.button_requeue()
        self.assertEqual((record.state, record.retry, record.exc_info), ('pending', 0, False))
        record.button_cancel()
        self.assertEqual(record.state, 'cancelled')
        self.assertIn('Cancelled by', record.result)
        record.button_done()
        self.assertEqual(record.state, 'done')
        record.sudo().write({'state': 'started', 'worker_name': 'w1', 'date_done': False})
        with self.assertRaises(exceptions.UserError) as caught:
            record.button_requeue()
        self.assertIn('Cannot requeue job(s) %s (%s): they are running now.'
                      % (record.uuid, record.name), caught.exception.name)
        self.assertEqual(record.state, 'started')

    def test_autovacuum_deletes_old_done_jobs_only(self):
        old_done = self.stored(echo.delay(self.session, 'a'))
        old_failed = self.stored(echo.delay(self.session, 'b'))
        recent_done = self.stored(echo.delay(self.session, 'c'))
        long_ago = datetime.utcnow() - timedelta(days=40)
        old_done.write({'state': 'done', 'date_done': long_ago})
        old_failed.write({'state': 'failed', 'date_done': long_ago})
        recent_done.write({'state': 'done', 'date_done': datetime.utcnow()})
        self.env['ir.config_parameter'].sudo().set_param('connector.queue_job_keep_days', '30')
        self.assertGreaterEqual(self.Job.autovacuum(), 1)
        self.assertFalse(old_done.exists())
        self.assertTrue(old_failed.exists())
        self.assertTrue(recent_done.exists())
        self.env['ir.config_parameter'].sudo().set_param('connector.queue_job_keep_days', 'x')
        with self.assertRaises(exceptions.UserError):
            self.Job.autovacuum()

    def test_autovacuum_deletes_in_batches_and_stops_at_its_time_limit(self):
        """Batches of batch_size until none is left; past max_seconds, after one batch."""
        long_ago = datetime.utcnow() - timedelta(days=40)
        old = self.Job.browse()
        for number in range(5):
            old |= self.stored(echo.delay(self.session, 'old %d' % number))
        old.write({'state': 'done', 'date_done': long_ago})
        self.assertEqual(self.Job.autovacuum(days=30, batch_size=2, max_seconds=0), 2)
        self.assertEqual(len(old.exists()), 3)
        self.assertEqual(self.Job.autovacuum(days=30, batch_size=2), 3)
        self.assertFalse(old.exists())

    def test_only_connector_managers_see_jobs(self):
        """A user outside the Connector Manager group can neither read nor change jobs."""
        record = self.stored(echo.delay(self.session, 'res.partner'))
        clerk = self.env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Clerk', 'login': 'queue_clerk',
            'groups_id': [(6, 0, [self.env.ref('base.group_user').id])]})
        for user in (clerk, self.env.ref('base.public_user')):
            with self.assertRaises(exceptions.AccessError):
                record.sudo(user).read(['state'])
            with self.assertRaises(exceptions.AccessError):
                record.sudo(user).button_requeue()

    def test_insert_notifies_the_workers_and_indexes_exist(self):
        self.env.cr.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'queue_job'::regclass "
                            "AND NOT tgisinternal")
        self.assertEqual(sorted(self.env.cr.fetchall()), [('connector_queue_job_lane',),
                                                          ('connector_queue_job_notify_insert',),
                                                          ('connector_queue_job_notify_update',),
                                                          ('connector_queue_job_relane',)])
        self.env.cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'queue_job'")
        names = {row[0] for row in self.env.cr.fetchall()}
        self.assertTrue({'queue_job_pending_free_idx', 'queue_job_backend_idx',
                         'queue_job_identity_key_unfinished_uniq'} <= names)
        self.assertIn("pg_notify('%s', '')" % queries.NOTIFY_CHANNEL, queries.SCHEMA)


class TestJobFunctionList(common.TransactionCase):
    """queue.job.function lists every @job function, whenever its module was imported.

    Odoo's test runner imports this module after the registry is loaded
    when the addon is installed without demo data, for post-install tests,
    and when it runs the tests of an existing database; so these tests run
    both at install and post install.
    """

    def listed(self, func):
        return self.env['queue.job.function'].search([('name', '=', func.func_string)])

    def test_job_functions_are_listed(self):
        """A function of this test module is listed with its channel and retry pattern."""
        functions = self.listed(echo)
        self.assertEqual(len(functions), 1)
        self.assertEqual(functions.channel, 'root.tests')
        self.assertEqual(functions.retry_pattern, '{"1": 5, "3": 50}')

    def test_function_imported_after_the_registry_is_listed_when_read(self):
        """Given a @job function missing from the list (its module was imported after
        the registry was loaded), reading the list lists it."""
        self.env.cr.execute('DELETE FROM queue_job_function WHERE name = %s',
                            (touch_partner.func_string,))
        listed = self.listed(touch_partner)
        self.assertEqual(len(listed), 1)
        self.assertEqual((listed.channel, listed.retry_pattern), ('root', False))


@common.at_install(False)
@common.post_install(True)
class TestJobFunctionListAfterInstall(TestJobFunctionList):
    """The same, once the registry is ready after installation."""


def fields_eta(record):
    return fields.Datetime.from_string(record.eta)


@job
def fail_after_write(session, model_name, partner_id):
    session.env['res.partner'].browse(partner_id).write({'comment': 'written by the job'})
    raise FailedJobError('remote refused partner %s' % partner_id)


class TestPerformJobs(common.TransactionCase):
    """perform_jobs() runs delayed jobs in the test transaction, as the runner would."""

    def test_perform_jobs_runs_and_records_outcomes(self):
        session = ConnectorSession.from_env(self.env)
        partner = self.env['res.partner'].create({'name': 'Trap'})
        done = echo.delay(session, 'res.partner', 7, eta=3600)
        failed = fail_after_write.delay(session, 'res.partner', partner.id)
        outcomes = perform_jobs(self.env, [('uuid', 'in', [done, failed])])
        self.assertEqual(outcomes[done].state, 'done')
        self.assertIn("'res.partner', [7]", outcomes[done].message)
        self.assertEqual(outcomes[failed].state, 'failed')
        self.assertIn('remote refused partner %s' % partner.id, outcomes[failed].message)
        self.assertFalse(partner.comment, 'the failed job must leave nothing behind')
        jobs = self.env['queue.job'].search([('uuid', 'in', [done, failed])])
        self.assertEqual(sorted(jobs.mapped('state')), ['done', 'failed'])
        self.assertEqual(jobs.mapped('retry'), [1, 1])
