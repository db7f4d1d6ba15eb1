# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rate limits as an operator writes them. The rule itself (GCRA) is SQL,
played on generated attempts in tests/integration/test_queue_store.py."""
from odoo.addons.connector.queue.rate_limits import parse_rate


def test_rates_print_back_as_written():
    """A parsed rate prints in the shortest unit that divides its period."""
    assert [str(parse_rate(text)) for text in ('5/s', '90/m', '100/10m', '2/h', '3/90s')] == [
        '5/s', '90/m', '100/10m', '2/h', '3/90s']
