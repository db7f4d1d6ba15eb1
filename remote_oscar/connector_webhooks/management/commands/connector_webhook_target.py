# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``manage.py connector_webhook_target``: where the order events go.

    connector_webhook_target --url http://127.0.0.1:8069/connector/webhook/oscar.backend/1 \\
        --secret whsec_...             # target "odoo" created or changed
    connector_webhook_target --name second --url ... --secret ...   # one more target
    connector_webhook_target --name second --remove
    connector_webhook_target --list
"""
from django.core.management.base import BaseCommand, CommandError

from ...models import WebhookTarget
from ...signing import secret_key


class Command(BaseCommand):
    help = 'Set, remove or list the webhook targets (URL + whsec_ secret) of order events.'

    def add_arguments(self, parser):
        parser.add_argument('--name', default='odoo')
        parser.add_argument('--url')
        parser.add_argument('--secret')
        parser.add_argument('--timeout', type=int, default=10)
        parser.add_argument('--inactive', action='store_true', help='keep it, send nothing')
        parser.add_argument('--remove', action='store_true')
        parser.add_argument('--list', action='store_true')

    def handle(self, *args, **opts):
        if opts['list']:
            for target in WebhookTarget.objects.order_by('name'):
                self.stdout.write('%s %s %s' % (target.name, target.url,
                                                'active' if target.active else 'inactive'))
            return
        if opts['remove']:
            deleted, _ = WebhookTarget.objects.filter(name=opts['name']).delete()
            self.stdout.write('removed target %r' % opts['name'] if deleted
                              else 'no target %r' % opts['name'])
            return
        if not opts['url'] or not opts['secret']:
            raise CommandError('--url and --secret are required (the webhook URL and the '
                               'whsec_ secret shown on the Odoo backend form)')
        try:
            secret_key(opts['secret'])
        except ValueError as err:
            raise CommandError('target %r: %s' % (opts['name'], err)) from err
        target, created = WebhookTarget.objects.update_or_create(
            name=opts['name'], defaults={'url': opts['url'], 'secret': opts['secret'],
                                         'timeout': opts['timeout'],
                                         'active': not opts['inactive']})
        self.stdout.write('%s target %r: %s' % ('created' if created else 'updated',
                                                target.name, target.url))
