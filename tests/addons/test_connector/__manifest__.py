# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    'name': 'Connector Tests',
    'version': '11.0.1.0.0',
    'summary': 'Test-only models and units for the connector framework (never in production)',
    'category': 'Hidden',
    'author': 'Connector contributors',
    'license': 'LGPL-3',
    'depends': ['connector'],
    'data': [
        'security/ir.model.access.csv',
        'views/test_backend_views.xml',
    ],
    'installable': True,
}
