"""setup.py: ``pip install .`` makes the addons loadable by Odoo 11.

The repository is copied (without .git, .venv, var, build output) and
installed with the venv's pip into a temporary ``--target`` directory T.
A separate Python process with ``PYTHONPATH=T`` and a config whose
addons_path holds only the Odoo wheel's own ``odoo/addons`` (not the
repository) must then import the addons from T, read their manifests and
find their icons; their translations and description pages are installed.
"""
import ast
import glob
import json
import os
import shutil
import subprocess
import textwrap

import pytest

PACKAGED = ['connector', 'connector_example', 'connector_oscar']

CHECK_CODE = textwrap.dedent('''
    import importlib, json, os, sys
    import odoo
    target, workdir, addon = sys.argv[1:4]
    wheel_addons = os.path.join(os.path.dirname(odoo.__file__), 'addons')
    cfg = os.path.join(workdir, 'odoo-%s.cfg' % addon)
    with open(cfg, 'w') as fh:
        fh.write('[options]\\naddons_path = %s\\ndata_dir = %s\\n'
                 % (wheel_addons, os.path.join(workdir, 'data')))
    odoo.tools.config.parse_config(['-c', cfg])
    odoo.modules.module.initialize_sys_path()
    module = importlib.import_module('odoo.addons.' + addon)
    info = odoo.modules.module.load_information_from_description_file(addon)
    print(json.dumps({
        'addons_path': odoo.tools.config['addons_path'],
        'odoo_addons_path': list(odoo.addons.__path__),
        'file': module.__file__,
        'module_path': odoo.modules.module.get_module_path(addon),
        'version': info.get('version'),
        'installable': info.get('installable'),
        'icon': odoo.modules.module.get_module_icon(addon),
    }))
''')


def _manifest(path):
    with open(os.path.join(path, '__manifest__.py')) as fh:
        return ast.literal_eval(fh.read())


def _files(root):
    """Relative paths of the files of an addon directory, without bytecode."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != '__pycache__']
        for name in filenames:
            if not name.endswith(('.pyc', '.pyo')):
                found.add(os.path.relpath(os.path.join(dirpath, name), root))
    return found


@pytest.fixture(scope='module')
def target(tmp_path_factory, connector_repo, venv_python):
    """Directory T after `pip install --no-deps --target T <copy of repo>`."""
    base = tmp_path_factory.mktemp('setup_py')
    src = str(base / 'src')
    # A copy, so that stale build/ output of an earlier legacy install in the
    # work tree can neither hide nor add files.
    shutil.copytree(connector_repo, src, ignore=shutil.ignore_patterns(
        '.git', '.venv', 'var', 'build', 'dist', '*.egg-info', '__pycache__', '*.pyc'))
    tgt = str(base / 'target')
    proc = subprocess.run(
        [venv_python, '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input',
         '--no-deps', '--target', tgt, src],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert proc.returncode == 0, proc.stdout
    return tgt


def _check_in_odoo(venv_python, target, addon, tmp_path):
    env = dict(os.environ, PYTHONPATH=target)
    proc = subprocess.run([venv_python, '-c', CHECK_CODE, target, str(tmp_path), addon],
                          cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_addons_land_in_odoo_addons_namespace_without_clobbering_odoo(target):
    for addon in PACKAGED:
        assert os.path.isfile(os.path.join(target, 'odoo', 'addons', addon, '__manifest__.py'))
        assert os.path.isfile(os.path.join(target, 'odoo', 'addons', addon, '__init__.py'))
    assert not os.path.exists(os.path.join(target, 'odoo', '__init__.py'))
    assert not os.path.exists(os.path.join(target, 'odoo', 'addons', '__init__.py'))


def test_test_addons_are_not_packaged(target, connector_repo):
    installed = sorted(os.listdir(os.path.join(target, 'odoo', 'addons')))
    assert installed == sorted(PACKAGED)
    test_addons = os.listdir(os.path.join(connector_repo, 'tests', 'addons'))
    assert 'test_connector' in test_addons
    assert not set(test_addons) & set(installed)


@pytest.mark.parametrize('addon', PACKAGED)
def test_every_addon_file_is_installed(target, connector_repo, addon):
    source = _files(os.path.join(connector_repo, addon))
    installed = _files(os.path.join(target, 'odoo', 'addons', addon))
    assert source - installed == set()
    # not vacuous: the manifest's data files (xml, csv) are among them
    data = _manifest(os.path.join(connector_repo, addon)).get('data', [])
    assert data, 'expected %s to declare data files' % addon
    for path in data:
        assert os.path.normpath(path) in installed
    # and the files Odoo finds by convention: translations, Apps icon and page
    conventional = {os.path.join('i18n', '%s.pot' % addon),
                    os.path.join('static', 'description', 'icon.png'),
                    os.path.join('static', 'description', 'index.html')}
    assert conventional <= installed
    if addon == 'connector':  # files Python never imports: the queue's SQL, the migrations
        assert {os.path.join('queue', 'sql', 'schema.sql'),
                os.path.join('queue', 'sql', 'queries.sql'),
                os.path.join('migrations', '11.0.1.1.0', 'post-migrate.py'),
                os.path.join('migrations', '11.0.1.1.0', 'schema.sql'),
                os.path.join('migrations', '11.0.1.3.0', 'end-migrate.py')} <= installed


def test_example_access_rules_csv_is_installed(target):
    path = os.path.join(target, 'odoo', 'addons', 'connector_example', 'security',
                        'ir.model.access.csv')
    with open(path) as fh:
        assert fh.readline().startswith('id,')


def test_distribution_version_is_the_connector_manifest_version(target, connector_repo):
    version = _manifest(os.path.join(connector_repo, 'connector'))['version']
    metadata = glob.glob(os.path.join(target, '*-%s*.egg-info' % version)) + glob.glob(
        os.path.join(target, '*-%s.dist-info' % version))
    assert metadata, os.listdir(target)


@pytest.mark.parametrize('addon', PACKAGED)
def test_odoo_loads_installed_addon_without_repo_on_addons_path(
        target, connector_repo, venv_python, addon, tmp_path):
    result = _check_in_odoo(venv_python, target, addon, tmp_path)
    repo = os.path.realpath(connector_repo)
    assert all(os.path.realpath(p) != repo for p in result['addons_path'].split(','))
    assert os.path.join(target, 'odoo', 'addons') in result['odoo_addons_path']
    assert os.path.realpath(result['file']).startswith(os.path.realpath(target) + os.sep)
    assert os.path.realpath(result['module_path']).startswith(os.path.realpath(target) + os.sep)
    assert result['version'] == _manifest(os.path.join(connector_repo, addon))['version']
    assert result['installable'] is True
    assert result['icon'] == '/%s/static/description/icon.png' % addon
