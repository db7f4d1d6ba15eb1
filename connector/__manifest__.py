# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    'name': 'Connector',
    'version': '11.0.1.5.0',
    'summary': 'Framework to synchronize Odoo with external systems',
    'category': 'Connector',
    'author': 'Connector contributors',
    'website': 'https://example.com/connector',
    'maintainers': ['connector-contributors'],
    'development_status': 'Beta',
    'license': 'LGPL-3',
    'depends': ['base'],
    'data': [
        'security/connector_security.xml',
        'security/ir.model.access.csv',
        'views/connector_assets.xml',
        'views/connector_menu.xml',
        'views/connector_checkpoint_views.xml',
        'data/queue_job_data.xml',
        'views/queue_job_views.xml',
        'views/queue_job_channel_views.xml',
    ],
    'post_load': 'post_load',
    'application': True,
    'installable': True,
    'uninstall_hook': 'uninstall_hook',
}
