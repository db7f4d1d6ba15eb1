# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Settings of the django-oscar shop that connector_oscar synchronizes with.

An API-driven shop: django-oscar 3.2 with django-oscar-api, prices in EUR,
no tax, free shipping, no payment step (oscar-api's checkout places the
order directly), and the ``connector_webhooks`` app that pushes order
events to Odoo. Everything that differs between two shops on one machine
comes from the environment (``tools/devkit/remote_oscar.py`` sets it):

``OSCAR_SHOP_DB``            PostgreSQL database (default ``connector_oscar_shop``)
``PGHOST`` / ``PGPORT``      the cluster (default: Unix socket, port 5432)
``OSCAR_SHOP_SECRET_KEY``    Django's secret key (a fixed development value by default)
``OSCAR_SHOP_ALLOWED_HOSTS`` comma-separated (default ``127.0.0.1,localhost``)
``OSCAR_SHOP_DEBUG``         ``1`` for Django's debug pages
``OSCAR_SHOP_MEDIA_ROOT``    uploaded files (default ``var/oscar-media`` of the repository)
"""
import os

from oscar import INSTALLED_APPS as OSCAR_APPS
from oscar.defaults import *  # noqa: F401,F403  (oscar's settings, overridden below)

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_DIR = os.path.dirname(BASE_DIR)

SECRET_KEY = os.environ.get('OSCAR_SHOP_SECRET_KEY') or 'connector-oscar-shop-development-only'
DEBUG = os.environ.get('OSCAR_SHOP_DEBUG') == '1'
ALLOWED_HOSTS = [h.strip() for h in (os.environ.get('OSCAR_SHOP_ALLOWED_HOSTS')
                                     or '127.0.0.1,localhost').split(',') if h.strip()]

INSTALLED_APPS = OSCAR_APPS + [
    'rest_framework',
    'rest_framework.authtoken',
    'oscarapi',
    'connector_webhooks',
]
SITE_ID = 1

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    # oscar-api: a client that is not a browser carries its session in a
    # ``Session-Id: SID:ANON:<host>:<random>`` header instead of a cookie
    'oscarapi.middleware.HeaderSessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
    'oscarapi.middleware.ApiBasketMiddleWare',
]
ROOT_URLCONF = 'shop_site.urls'
WSGI_APPLICATION = 'shop_site.wsgi.application'

TEMPLATES = [{
    'BACKEND': 'django.template.backends.django.DjangoTemplates',
    'DIRS': [],
    'APP_DIRS': True,
    'OPTIONS': {'context_processors': [
        'django.template.context_processors.debug',
        'django.template.context_processors.request',
        'django.contrib.auth.context_processors.auth',
        'django.contrib.messages.context_processors.messages',
        'oscar.apps.search.context_processors.search_form',
        'oscar.apps.checkout.context_processors.checkout',
        'oscar.apps.communication.notifications.context_processors.notifications',
        'oscar.core.context_processors.metadata',
    ]},
}]

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': os.environ.get('OSCAR_SHOP_DB') or 'connector_oscar_shop',
        # empty host: the Unix socket (over TCP the role would need a password)
        'HOST': os.environ.get('PGHOST', ''),
        'PORT': os.environ.get('PGPORT', ''),
        # One transaction per request: an order change and the webhook
        # deliveries it logs commit together or not at all.
        'ATOMIC_REQUESTS': True,
    },
}
DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'

AUTHENTICATION_BACKENDS = (
    'oscar.apps.customer.auth_backends.EmailBackend',
    'django.contrib.auth.backends.ModelBackend',
)
HAYSTACK_CONNECTIONS = {'default': {'ENGINE': 'haystack.backends.simple_backend.SimpleEngine'}}

LANGUAGE_CODE = 'en'
TIME_ZONE = 'UTC'
USE_I18N = True
USE_TZ = True
STATIC_URL = '/static/'
MEDIA_ROOT = os.environ.get('OSCAR_SHOP_MEDIA_ROOT') or os.path.join(REPO_DIR, 'var',
                                                                     'oscar-media')
MEDIA_URL = '/media/'
EMAIL_BACKEND = 'django.core.mail.backends.locmem.EmailBackend'

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'formatters': {'plain': {'format': '%(asctime)s %(levelname)s %(name)s: %(message)s'}},
    'handlers': {'console': {'class': 'logging.StreamHandler', 'formatter': 'plain'}},
    'root': {'handlers': ['console'], 'level': 'WARNING'},
    'loggers': {'connector_webhooks': {'level': 'INFO'}},
}

# -- the shop -----------------------------------------------------------------

OSCAR_SHOP_NAME = 'Connector demo shop'
OSCAR_DEFAULT_CURRENCY = 'EUR'
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_SEND_REGISTRATION_EMAIL = False
OSCAR_SAVE_SENT_EMAILS_TO_DB = False

#: Order statuses (codes, as the API shows them) and the moves allowed.
OSCAR_INITIAL_ORDER_STATUS = 'pending'
OSCAR_INITIAL_LINE_STATUS = 'pending'
OSCAR_ORDER_STATUS_PIPELINE = {
    'pending': ('being_processed', 'shipped', 'cancelled'),
    'being_processed': ('shipped', 'cancelled'),
    'shipped': (),
    'cancelled': (),
}
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {status: status for status in OSCAR_ORDER_STATUS_PIPELINE
                              if status != 'pending'}

# -- the REST API ---------------------------------------------------------------

OSCARAPI_BLOCK_ADMIN_API_ACCESS = False   # the connector uses /api/admin/...
OSCARAPI_ENABLE_REGISTRATION = True       # customers register through /api/register/
OSCARAPI_EXPOSE_USER_DETAILS = True
OSCARAPI_INITIAL_ORDER_STATUS = OSCAR_INITIAL_ORDER_STATUS
OSCARAPI_ORDER_FIELDS = (
    'id', 'number', 'basket', 'url', 'lines', 'owner', 'billing_address', 'currency',
    'total_incl_tax', 'total_excl_tax', 'shipping_incl_tax', 'shipping_excl_tax',
    'shipping_address', 'shipping_method', 'shipping_code', 'status', 'email',
    'date_placed', 'payment_url', 'offer_discounts', 'voucher_discounts', 'surcharges',
)
OSCARAPI_ADMIN_USER_FIELDS = ('url', 'id', 'username', 'email', 'first_name', 'last_name',
                              'date_joined')

REST_FRAMEWORK = {
    # Token for the connector (one query per request); Basic for trying by
    # hand (it hashes the password on every request: slow on purpose);
    # Session for customers (oscar-api's Session-Id header, see MIDDLEWARE).
    'DEFAULT_AUTHENTICATION_CLASSES': (
        'rest_framework.authentication.TokenAuthentication',
        'rest_framework.authentication.BasicAuthentication',
        'rest_framework.authentication.SessionAuthentication',
    ),
    'DEFAULT_PAGINATION_CLASS': 'rest_framework.pagination.PageNumberPagination',
    'PAGE_SIZE': 50,
}
