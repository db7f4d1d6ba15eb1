# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``manage.py connector_shop_setup``: a new shop's fixed data, after ``migrate``.

Idempotent. Creates or updates: the site's domain, the countries
(oscar's ``oscar_populate_countries``, all shippable), the staff account
of the connector with its API token (``--token``: 40 characters), the
fulfilment partner whose stock records Odoo owns (code ``odoo``), and the
product class of simple products (slug ``simple``, stock tracked).
"""
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from oscar.core.loading import get_model
from rest_framework.authtoken.models import Token

Country = get_model('address', 'Country')
Partner = get_model('partner', 'Partner')
ProductClass = get_model('catalogue', 'ProductClass')

PARTNER_CODE = 'odoo'
PARTNER_NAME = 'Odoo warehouse'
PRODUCT_CLASS_SLUG = 'simple'


class Command(BaseCommand):
    help = "Create the connector's staff user and token, partner, product class, countries."

    def add_arguments(self, parser):
        parser.add_argument('--username', default='connector')
        parser.add_argument('--password', required=True)
        parser.add_argument('--token', required=True, help='the API token (40 characters)')
        parser.add_argument('--domain', default='127.0.0.1')

    @transaction.atomic
    def handle(self, *args, **opts):
        if len(opts['token']) != 40:
            raise CommandError('--token must be 40 characters (DRF tokens are), got %d'
                               % len(opts['token']))
        Site.objects.update_or_create(pk=1, defaults={'domain': opts['domain'],
                                                      'name': 'Connector demo shop'})
        if not Country.objects.exists():
            call_command('oscar_populate_countries', verbosity=0)
        user_model = get_user_model()
        user, _created = user_model.objects.get_or_create(
            username=opts['username'], defaults={'email': '%s@shop.invalid' % opts['username']})
        user.is_staff = user.is_superuser = True
        user.set_password(opts['password'])
        user.save()
        Token.objects.filter(user=user).exclude(key=opts['token']).delete()
        Token.objects.get_or_create(user=user, key=opts['token'])
        partner, _created = Partner.objects.get_or_create(code=PARTNER_CODE,
                                                          defaults={'name': PARTNER_NAME})
        partner.users.add(user)
        ProductClass.objects.update_or_create(
            slug=PRODUCT_CLASS_SLUG, defaults={'name': 'Simple product', 'track_stock': True,
                                               'requires_shipping': True})
        self.stdout.write('shop ready: staff %r, partner %r (id %d), product class %r, '
                          '%d countries' % (user.username, PARTNER_CODE, partner.pk,
                                            PRODUCT_CLASS_SLUG, Country.objects.count()))
