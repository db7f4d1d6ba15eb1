# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The README's example runs as written: the code block is this addon's units.py."""
import os
import re

from odoo.tests import common

from odoo.addons.connector.queue.job import Job
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.connector.unit.synchronizer.jobs import import_record

ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ADDON, '..', '..', '..', 'README.rst')


def readme_block(marker):
    """The code block following ``marker`` in README.rst, dedented."""
    with open(README) as readme:
        text = readme.read()
    start = text.index(marker)
    block = re.search(r'::\n\n((?:    .*\n|\n)+)', text[start:]).group(1)
    return '\n'.join(line[4:] for line in block.rstrip().split('\n')) + '\n'


class TestReadmeExample(common.TransactionCase):

    def test_readme_shows_this_addons_units(self):
        """The README's units are this addon's units.py, up to its test stand-in."""
        with open(os.path.join(ADDON, 'units.py')) as units:
            source = ''.join(line for line in units if not line.startswith('# '))
        shown = readme_block('.. units of the example')
        self.assertTrue(source.startswith(shown), 'README example and units.py differ')

    def test_readme_delay_runs(self):
        """The README's delay call stores a job that imports the customer."""
        backend = self.env['shop.backend'].create({'name': 'My shop'})
        session = ConnectorSession.from_env(self.env)
        namespace = {'import_record': import_record, 'session': session, 'backend': backend}
        exec(readme_block('.. delaying an import'), namespace)
        job_uuid = namespace['job_uuid']
        job = Job.load(self.env, job_uuid).resolve(self.env)
        job.perform(self.env)
        binding = self.env['shop.res.partner'].search([('external_id', '=', '17')])
        self.assertEqual((binding.name, binding.email, binding.customer),
                         ('Ann Smith', 'ann@shop.example', True))
        self.assertEqual(binding.backend_id, backend)
