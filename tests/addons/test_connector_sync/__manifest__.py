# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    'name': 'Connector Synchronizer Tests',
    'version': '11.0.1.0.0',
    'summary': 'Test-only: a connector whose "remote" is a table, to test the synchronizers',
    'category': 'Hidden',
    'author': 'Connector contributors',
    'license': 'LGPL-3',
    'depends': ['connector'],
    'data': ['security/ir.model.access.csv'],
    'installable': True,
}
