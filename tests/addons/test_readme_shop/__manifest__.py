# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    'name': 'README example: a shop connector',
    'version': '11.0.1.0.0',
    'summary': "Test-only: the README's 'Writing a connector' example, installed and run",
    'category': 'Hidden',
    'author': 'Connector contributors',
    'license': 'LGPL-3',
    'depends': ['connector'],
    'data': ['security/ir.model.access.csv'],
    'installable': True,
}
