# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""tools/odoo-bin finds the connector's subcommand from the config file alone."""
import os
import subprocess
import sys


def test_jobrunner_found_with_config_only(connector_repo):
    """`odoo-bin jobrunner -c CFG --help` works without ODOO_RC or --addons-path."""
    config = os.environ.get('CONNECTOR_ODOO_CONFIG') or os.path.join(
        connector_repo, 'var', 'odoo.cfg')
    env = {key: value for key, value in os.environ.items()
           if key not in ('ODOO_RC', 'OPENERP_SERVER')}
    python = os.environ.get('CONNECTOR_VENV_PYTHON') or sys.executable
    proc = subprocess.run(
        [python, os.path.join(connector_repo, 'tools', 'odoo-bin'), 'jobrunner', '-c', config,
         '--help'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
        universal_newlines=True, timeout=120)
    assert proc.returncode == 0, proc.stdout
    assert "The job runner: an operator's manual\n====" in proc.stdout
