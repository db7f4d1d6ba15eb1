# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Partners to seed a remote Odoo with (``remote_odoo``), over XML-RPC.

``seed_partners``: companies with contacts, countries and categories, in
bulk; ``seed_awkward_partners``: the partners real databases hold that
naive syncs get wrong. Used by the demo, the end-to-end and browser tests
and the example import benchmark.
"""

CATEGORIES = ['Customer', 'Supplier', 'Prospect', 'Reseller']
COUNTRY_CODES = ['BE', 'FR', 'DE', 'NL', 'ES', 'IT', 'GB', 'US', 'CA', 'JP']
SEED_CONTEXT = {'install_mode': True}
CITIES = ['Brussels', 'Paris', 'Berlin', 'Amsterdam', 'Madrid', 'Rome', 'London',
          'New York', 'Toronto', 'Tokyo']


def seed_partners(client, count, contacts_per_company=4, suffix='', progress=None):
    """Create ``count`` partners on the remote: companies, each with its contacts.

    One partner in ``contacts_per_company + 1`` is a company; the others
    are its contacts (``parent_id``). Countries come by ISO code from
    ``COUNTRY_CODES``, categories from ``CATEGORIES`` (names + ``suffix``,
    created when missing): every company has one or two, contacts none or
    one. Names are ``Company 0001`` and ``Contact 0001-2`` (+ ``suffix``).
    Creates run with ``install_mode`` in their context, which makes Odoo 11
    skip drawing a default avatar: 40% faster, and avatars are not synced.

    Returns ``{'companies': [ids], 'contacts': [ids], 'categories':
    {name: id}}``. ``progress(done, count)`` is called every 50 partners.
    """
    countries = {}
    for country in client.execute('res.country', 'search_read',
                                  [('code', 'in', COUNTRY_CODES)], fields=['code']):
        countries[country['code']] = country['id']
    categories = {}
    for name in CATEGORIES:
        name += suffix
        found = client.execute('res.partner.category', 'search', [('name', '=', name)])
        categories[name] = found[0] if found else client.execute(
            'res.partner.category', 'create', {'name': name})
    category_ids = list(categories.values())
    result = {'companies': [], 'contacts': [], 'categories': categories}
    done, number = 0, 0
    while done < count:
        number += 1
        code = COUNTRY_CODES[number % len(COUNTRY_CODES)]
        company = client.execute('res.partner', 'create', context=SEED_CONTEXT, vals={
            'name': 'Company %04d%s' % (number, suffix), 'is_company': True,
            'email': 'info@company%04d.example.com' % number,
            'phone': '+32 2 %03d %02d %02d' % (number % 1000, number % 97, number % 89),
            'street': '%d Main Street' % number, 'city': CITIES[number % len(CITIES)],
            'zip': '%05d' % (1000 + number), 'country_id': countries.get(code),
            'category_id': [(6, 0, category_ids[number % 4:number % 4 + 1 + number % 2])],
        })
        result['companies'].append(company)
        done += 1
        for index in range(1, contacts_per_company + 1):
            if done >= count:
                break
            contact = client.execute('res.partner', 'create', context=SEED_CONTEXT, vals={
                'name': 'Contact %04d-%d%s' % (number, index, suffix), 'parent_id': company,
                'email': 'person%d@company%04d.example.com' % (index, number),
                'country_id': countries.get(code),
                'category_id': [(6, 0, category_ids[index % 4:index % 4 + index % 2])],
            })
            result['contacts'].append(contact)
            done += 1
            if progress and done % 50 == 0:
                progress(done, count)
    return result


def seed_awkward_partners(client, suffix=''):
    """Create on the remote the partners real databases hold, that naive syncs get wrong.

    - ``Ghost Corp``: a company without an address whose contacts (of three
      countries) have their own addresses: they were created first and
      given their company afterwards, so Odoo kept their addresses;
    - ``Nomad Holdings``: a company created without an address, then its
      contacts: Odoo gave the first contact's address to the company and
      copied it onto the next contact of type *contact*; its invoice
      address keeps its own;
    - ``Mega Group`` > ``Mega Sales`` (a company under a company) > a contact
      and a delivery address: a 3-level chain;
    - ``Old Co``: an archived company with active contacts;
    - names and streets in other scripts, and partners with nothing but a
      name.

    Returns ``{name without suffix: remote id}``.
    """
    countries = {c['code']: c['id'] for c in client.execute(
        'res.country', 'search_read', [('code', 'in', ['BE', 'JP', 'BR', 'RU', 'EG', 'IS'])],
        fields=['code'])}
    ids = {}

    def create(name, **values):
        values['name'] = name + suffix
        if 'country' in values:
            values['country_id'] = countries[values.pop('country')]
        ids[name] = client.execute('res.partner', 'create', values, context=SEED_CONTEXT)
        return ids[name]

    ghost = create('Ghost Corp', is_company=True, email='hello@ghost.example')
    for name, street, city, zip_code, country in (
            ('Ghost Brussels', 'Rue Haute 1', 'Bruxelles', '1000', 'BE'),
            ('Ghost Tokyo', '千代田1-1', '東京', '100-0001', 'JP'),
            ('Ghost São Paulo', 'Avenida Paulista 1000', 'São Paulo', '01310-100', 'BR')):
        contact = create(name, street=street, city=city, zip=zip_code, country=country,
                         phone='+1 555 0100')
        client.execute('res.partner', 'write', [contact], {'parent_id': ghost})
    nomad = create('Nomad Holdings', is_company=True)
    create('Nomad First', parent_id=nomad, street='Reykjavíkurvegur 5', city='Reykjavík',
           zip='101', country='IS')
    create('Nomad Second', parent_id=nomad, street='Tverskaya 7', city='Moscow',
           country='RU')
    create('Nomad Invoices', parent_id=nomad, type='invoice', street='Tahrir Square 3',
           city='Cairo', country='EG')
    group = create('Mega Group', is_company=True, street='1 Group Plaza', city='Antwerp',
                   zip='2000', country='BE')
    sales = create('Mega Sales', is_company=True, parent_id=group, street='2 Sales Lane',
                   city='Ghent', zip='9000', country='BE')
    create('Mega Seller', parent_id=sales, email='seller@mega.example')
    create('Mega Warehouse', parent_id=sales, type='delivery', street='Dock 9',
           city='Zeebrugge', zip='8380', country='BE')
    old = create('Old Co', is_company=True, street='Old Street 1', city='Liège', country='BE')
    create('Old Co Keeper', parent_id=old, phone='+32 4 000 00 00')
    client.execute('res.partner', 'write', [old], {'active': False})
    create('Old Co Late', parent_id=old)
    create('Иван Петров', street='Невский проспект 1', city='Санкт-Петербург', country='RU')
    create('محمد علي', city='القاهرة', country='EG')
    create('李小龍 🚀')
    create('Nameonly')
    return ids
