# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""HTTP clients of the django-oscar shop, stdlib only (they run on Python 3.7 too).

``ShopAdmin``: the shop's staff, over the API token (what the connector
does, and what tests and the demo use to look at the shop).
``ShopCustomer``: a customer, through the shop's own public API as a
shopping client would: register, log in, fill a basket, check out.
oscar-api keeps a non-browser client's session in a ``Session-Id``
header (``SID:ANON:<host>:<random>``, turned into ``SID:AUTH:...`` by the
login), so no cookie jar and no CSRF token are needed.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request


class ShopApiError(Exception):
    """The shop answered an error status; ``status`` and ``answer`` (parsed JSON or text)."""

    def __init__(self, method, url, status, answer):
        super().__init__('%s %s: HTTP %s: %s' % (method, url, status, str(answer)[:500]))
        self.status = status
        self.answer = answer


class _Client(object):
    def __init__(self, url, timeout=30):
        self.url = url.rstrip('/')
        self.timeout = timeout

    def _headers(self):
        return {}

    def _after(self, answer):
        """Hook: look at the response headers of every 2xx answer."""

    def request(self, method, path, data=None):
        """``method path`` with a JSON body; the parsed answer, ShopApiError on non-2xx."""
        url = path if path.startswith('http') else self.url + path
        body = None if data is None else json.dumps(data).encode('utf-8')
        headers = dict(self._headers(), Accept='application/json')
        if body is not None:
            headers['Content-Type'] = 'application/json'
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                self._after(answer)
                raw = answer.read()
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                parsed = json.loads(raw.decode('utf-8'))
            except ValueError:
                parsed = raw.decode('utf-8', 'replace')
            raise ShopApiError(method, url, err.code, parsed) from None
        return json.loads(raw.decode('utf-8')) if raw else None

    def get(self, path):
        return self.request('GET', path)

    def post(self, path, data):
        return self.request('POST', path, data)

    def patch(self, path, data):
        return self.request('PATCH', path, data)

    def put(self, path, data):
        return self.request('PUT', path, data)

    def pages(self, path):
        """Every result of a paginated list (DRF's ``next`` links)."""
        page = self.get(path)
        while True:
            for item in page['results']:
                yield item
            if not page.get('next'):
                return
            page = self.get(page['next'])


class ShopAdmin(_Client):
    """The shop's staff API: catalogue, stock, orders (see remote_oscar/API.md)."""

    def __init__(self, url, token, timeout=30):
        super().__init__(url, timeout)
        self.token = token
        self._partner_url = None

    def _headers(self):
        return {'Authorization': 'Token %s' % self.token}

    @property
    def partner_url(self):
        """The API URL of the fulfilment partner ``odoo`` (stock records belong to it)."""
        if self._partner_url is None:
            partners = [p for p in self.pages('/api/admin/partners/') if p['code'] == 'odoo']
            if not partners:
                raise ShopApiError('GET', self.url + '/api/admin/partners/', 404,
                                   'no partner with code "odoo": run connector_shop_setup')
            self._partner_url = partners[0]['url']
        return self._partner_url

    def create_product(self, sku, title, price, stock=0, category=None, public=True,
                       description=''):
        """A simple product with its stock record (SKU = upc = partner_sku)."""
        data = {'upc': sku, 'slug': sku.lower(), 'title': title, 'description': description,
                'product_class': 'simple', 'is_public': public,
                'stockrecords': [{'partner': self.partner_url, 'partner_sku': sku,
                                  'price': str(price), 'price_currency': 'EUR',
                                  'num_in_stock': stock}]}
        if category:
            data['categories'] = [category]
        return self.post('/api/admin/products/', data)

    def set_stock(self, stockrecord_id, quantity):
        return self.patch('/api/admin/stockrecords/%d/' % stockrecord_id,
                          {'num_in_stock': quantity, 'num_allocated': 0})

    def order_changes(self, updated_after=None):
        """Every order changed after ``updated_after`` (ISO 8601 with offset), oldest first."""
        query = '?' + urllib.parse.urlencode({'updated_after': updated_after}) \
            if updated_after else ''
        return list(self.pages('/api/connector/orders/' + query))

    def order(self, order_id):
        return self.get('/api/connector/orders/%d/' % order_id)

    def set_status(self, order_id, status):
        return self.post('/api/connector/orders/%d/status/' % order_id, {'status': status})

    def cancel(self, order_id):
        """Cancel an order, as the shop's staff would."""
        return self.set_status(order_id, 'cancelled')


class ShopCustomer(_Client):
    """A customer of the shop, through its public API (see module doc)."""

    def __init__(self, url, email, password='Customer-pass-2026', timeout=30):
        super().__init__(url, timeout)
        self.email = email
        self.password = password
        host = urllib.parse.urlsplit(self.url).hostname
        self.session_id = 'SID:ANON:%s:%s' % (host, os.urandom(16).hex())

    def _headers(self):
        return {'Session-Id': self.session_id}

    def _after(self, answer):
        self.session_id = answer.headers.get('Session-Id') or self.session_id

    def register(self):
        return self.post('/api/register/', {'email': self.email, 'password1': self.password,
                                            'password2': self.password})

    def login(self):
        return self.post('/api/login/', {'username': self.email, 'password': self.password})

    def register_and_login(self):
        """Register (an already registered email is fine), then log in."""
        try:
            self.register()
        except ShopApiError as err:
            if err.status != 400:
                raise
        self.login()
        return self

    def product_id(self, sku):
        """The shop's product id of ``sku`` (its upc), from the public catalogue."""
        for product in self.pages('/api/products/'):
            if product['upc'] == sku:
                return product['id']
        raise ShopApiError('GET', self.url + '/api/products/', 404,
                           'no product with upc %r in the shop' % sku)

    def add(self, product, quantity=1):
        """Put ``quantity`` of a product (its id, or its SKU) into the basket."""
        product_id = product if isinstance(product, int) else self.product_id(product)
        return self.post('/api/basket/add-product/', {
            'url': '%s/api/products/%d/' % (self.url, product_id), 'quantity': quantity})

    def checkout(self, address, guest_email=None):
        """Check the basket out, shipped to ``address`` (``country``: ISO code); the order."""
        shipping = dict(address)
        shipping['country'] = '%s/api/countries/%s/' % (self.url, address['country'].upper())
        data = {'basket': self.get('/api/basket/')['url'], 'shipping_address': shipping}
        if guest_email:
            data['guest_email'] = guest_email
        return self.post('/api/checkout/', data)

    def buy(self, items, address, guest_email=None):
        """Add ``[(product id or SKU, quantity), ...]`` and check out; the order
        (``number``, ``id``, ...)."""
        for product, quantity in items:
            self.add(product, quantity)
        return self.checkout(address, guest_email)


#: An address the demo and the tests ship to (oscar requires these fields).
FRENCH_ADDRESS = {'first_name': 'Anna', 'last_name': 'Martin', 'line1': '1 rue de la Paix',
                  'line4': 'Paris', 'postcode': '75002', 'country': 'FR'}
