# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    'name': 'Connector Example: Webhook Sender (remote side)',
    'version': '11.0.1.0.0',
    'summary': "Pushes this Odoo's partner changes to a connector's webhook URL",
    'category': 'Connector',
    'author': 'Connector contributors',
    'website': 'https://example.com/connector',
    'license': 'LGPL-3',
    'depends': ['base'],
    'data': [
        'security/ir.model.access.csv',
        'data/ir_cron.xml',
        'views/webhook_sender_views.xml',
    ],
    'installable': True,
}
