# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``manage.py connector_webhook_sender``: send the outbox until killed (see ``sender``).

SIGTERM ends it at once (Python's default): a try cut short leaves its
delivery pending in a rolled-back transaction, so it is sent again with the
same webhook id, which the receiver keeps once.
"""
from django.core.management.base import BaseCommand

from ...sender import run_forever, send_due


class Command(BaseCommand):
    help = 'Send the pending webhook deliveries, then wait for more (until SIGTERM).'

    def add_arguments(self, parser):
        parser.add_argument('--once', action='store_true', help='send what is due, then exit')

    def handle(self, *args, **opts):
        if opts['once']:
            send_due()
            return
        try:
            run_forever()
        except KeyboardInterrupt:
            pass
