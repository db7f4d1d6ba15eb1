# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Comparing the partners of both sides of a sync, field by field.

``remote_partner_state`` reads the remote over XML-RPC,
``local_partner_state`` the bound partners in an Odoo environment; both
give ``{external id: {field: value}}`` and ``state_differences`` says in
lines how they differ. The demo and the end-to-end tests end with it.
"""

SYNCED_FIELDS = ('name', 'type', 'email', 'phone', 'street', 'city', 'zip', 'is_company',
                 'active')
"""Fields of a partner that connector_example synchronizes as they are; the parent,
country and categories are compared by remote id, ISO code and names."""


def remote_partner_state(client):
    """{remote id (text): {field: value}} of every remote partner, archived ones too."""
    codes = {c['id']: c['code'] for c in client.execute(
        'res.country', 'search_read', [], fields=['code'])}
    categories = {c['id']: c['name'] for c in client.execute(
        'res.partner.category', 'search_read', [], fields=['name'])}
    state = {}
    for partner in client.execute(
            'res.partner', 'search_read', [],
            fields=list(SYNCED_FIELDS) + ['parent_id', 'country_id', 'category_id'],
            context={'active_test': False}):
        values = {name: partner[name] or False for name in SYNCED_FIELDS}
        values['parent'] = str(partner['parent_id'][0]) if partner['parent_id'] else False
        values['country'] = codes[partner['country_id'][0]] if partner['country_id'] else False
        values['categories'] = sorted(categories[i] for i in partner['category_id'])
        state[str(partner['id'])] = values
    return state


def local_partner_state(env, backend_id, binding_model='example.res.partner'):
    """{external id: {field: value}} of the partners bound to a backend, in Odoo ``env``."""
    bindings = env[binding_model].with_context(active_test=False).search(
        [('backend_id', '=', backend_id)])
    parents = {binding.openerp_id.id: binding.external_id for binding in bindings}
    state = {}
    for binding in bindings:
        partner = binding.openerp_id
        values = {name: partner[name] or False for name in SYNCED_FIELDS}
        values['parent'] = parents.get(partner.parent_id.id, 'unbound') \
            if partner.parent_id else False
        values['country'] = partner.country_id.code or False
        values['categories'] = sorted(partner.category_id.mapped('name'))
        state[binding.external_id] = values
    return state


def state_differences(remote, local):
    """Lines saying how two states differ (ids on one side only, fields that differ)."""
    lines = ['remote partner %s is not bound here' % i for i in sorted(set(remote) - set(local))]
    lines += ['bound to remote id %s, which does not exist' % i
              for i in sorted(set(local) - set(remote))]
    for external_id in sorted(set(remote) & set(local)):
        there, here = remote[external_id], local[external_id]
        if here != there:
            lines.append('%s %r: %s' % (external_id, there['name'], ', '.join(
                '%s here %r, remote %r' % (name, here[name], value)
                for name, value in sorted(there.items()) if here[name] != value)))
    return lines
