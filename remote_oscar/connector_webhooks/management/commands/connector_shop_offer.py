# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``manage.py connector_shop_offer --percent 10 --upc SKU1 [--upc SKU2]``.

A site offer: ``--percent`` off every unit of the products given by UPC
(the SKU the connector exports), from the first unit. Orders with these
products then carry a discount on their lines (``discount_incl_tax`` of
``GET /api/connector/orders/<id>/``) and in their ``discounts``.
Idempotent per ``--name``.
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from oscar.core.loading import get_model

Benefit = get_model('offer', 'Benefit')
Condition = get_model('offer', 'Condition')
ConditionalOffer = get_model('offer', 'ConditionalOffer')
Range = get_model('offer', 'Range')
Product = get_model('catalogue', 'Product')


class Command(BaseCommand):
    help = 'Create (or update) a percentage discount on some products.'

    def add_arguments(self, parser):
        parser.add_argument('--name', default='Connector demo discount')
        parser.add_argument('--percent', type=int, required=True)
        parser.add_argument('--upc', action='append', required=True)

    @transaction.atomic
    def handle(self, *args, **opts):
        products = list(Product.objects.filter(upc__in=opts['upc']))
        missing = sorted(set(opts['upc']) - {p.upc for p in products})
        if missing:
            raise CommandError('offer %r: no product with UPC %s in the shop; export them '
                               'first' % (opts['name'], ', '.join(missing)))
        product_range, _ = Range.objects.get_or_create(name=opts['name'])
        for product in products:
            product_range.add_product(product)
        condition, _ = Condition.objects.update_or_create(
            range=product_range, type=Condition.COUNT, defaults={'value': 1})
        benefit, _ = Benefit.objects.update_or_create(
            range=product_range, type=Benefit.PERCENTAGE, defaults={'value': opts['percent']})
        offer, _ = ConditionalOffer.objects.update_or_create(
            name=opts['name'], defaults={'offer_type': ConditionalOffer.SITE,
                                         'condition': condition, 'benefit': benefit,
                                         'status': ConditionalOffer.OPEN})
        self.stdout.write('offer %r (id %d): %d%% off %s' % (
            offer.name, offer.pk, opts['percent'], ', '.join(sorted(opts['upc']))))
