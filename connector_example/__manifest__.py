# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    'name': 'Connector Example',
    'version': '11.0.1.3.0',
    'summary': 'Example connector: two-way partner sync with another Odoo over XML-RPC',
    'category': 'Connector',
    'author': 'Connector contributors',
    'website': 'https://example.com/connector',
    'maintainers': ['connector-contributors'],
    'development_status': 'Beta',
    'license': 'LGPL-3',
    'depends': ['connector'],
    'data': [
        'security/example_security.xml',
        'security/ir.model.access.csv',
        'data/ir_cron.xml',
        'views/example_backend_views.xml',
        'views/res_partner_views.xml',
    ],
    'application': False,
    'installable': True,
}
