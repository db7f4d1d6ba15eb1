# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    'name': 'Connector Job Queue Tests',
    'version': '11.0.1.0.0',
    'summary': 'Test-only job functions and models for the job queue (never install in production)',
    'category': 'Hidden',
    'author': 'Connector contributors',
    'license': 'LGPL-3',
    'depends': ['connector'],
    'data': [
        'security/ir.model.access.csv',
    ],
    'installable': True,
}
