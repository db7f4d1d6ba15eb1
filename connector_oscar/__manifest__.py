# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    'name': 'Connector Oscar',
    'version': '11.0.1.0.0',
    'summary': 'Shop connector: catalogue and stock out, customers and orders in, with a '
               'django-oscar shop over its REST API',
    'category': 'Connector',
    'author': 'Connector contributors',
    'website': 'https://example.com/connector',
    'maintainers': ['connector-contributors'],
    'development_status': 'Alpha',
    'license': 'LGPL-3',
    'depends': ['connector', 'sale_stock'],
    'data': [
        'security/oscar_security.xml',
        'security/ir.model.access.csv',
        'data/ir_cron.xml',
        'views/oscar_backend_views.xml',
        'views/oscar_binding_views.xml',
    ],
    'application': False,
    'installable': True,
}
