# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Conflicts: who wins when a field changed on both sides, per field or by the backend's policy."""
from datetime import datetime
from types import SimpleNamespace

import pytest

from odoo.addons.connector.unit.conflict import (ASK, LOCAL, POLICIES, REMOTE, Conflict,
                                                 ConflictResolver, Merge, shown)

from fakes import fake_backend_record, fake_connector_env


def binding(**values):
    """A binding as a Conflict reads it: name, id, fields, last write and its author; its
    synchronization log is a list (``_add_sync_log`` appends)."""
    phone = SimpleNamespace(string='Phone')  # a field as set up in a model: its label
    log = []
    return SimpleNamespace(_name='shop.res.partner', id=12, _fields={'phone': phone},
                           write_date=datetime(2026, 3, 1, 9, 0),
                           write_uid=SimpleNamespace(name='Sync Clerk'),
                           log=log, _add_sync_log=log.append, **values)


def conflict(field_name='phone', last='+33 1', local='+33 2', remote='+33 3', **kwargs):
    return Conflict(binding(), field_name, last, local, remote, **kwargs)


def resolver(cls=ConflictResolver, **backend_fields):
    return cls(fake_connector_env(backend_record=fake_backend_record(**backend_fields)))


def test_conflict_keeps_both_values_and_who_wrote_odoo_last():
    """A conflict carries the last synced value, each side's value and the local author."""
    found = conflict(remote_date=datetime(2026, 3, 1, 10, 0))
    assert (found.last, found.local, found.remote) == ('+33 1', '+33 2', '+33 3')
    assert (found.local_date, found.local_user) == (datetime(2026, 3, 1, 9, 0), 'Sync Clerk')
    assert found.remote_date == datetime(2026, 3, 1, 10, 0)
    assert repr(found) == \
        "<Conflict shop.res.partner,12 phone: last '+33 1', local '+33 2', remote '+33 3'>"


def test_field_label_is_the_fields_string_or_its_name():
    """Checkpoints show the field's label; an unknown field shows its name."""
    assert conflict().field_label == 'Phone'
    assert conflict(field_name='loyalty_points').field_label == 'loyalty_points'


@pytest.mark.parametrize('policy', [LOCAL, REMOTE, ASK])
def test_without_a_method_the_backend_policy_decides(policy):
    """No resolve_<field>: the backend record's conflict_policy is the answer."""
    assert resolver(conflict_policy=policy).resolve(conflict()) == policy


def test_backend_without_policy_asks_a_person():
    """A backend without a policy (or an empty one) asks through a checkpoint."""
    assert resolver().resolve(conflict()) == ASK
    assert resolver(conflict_policy=False).resolve(conflict()) == ASK


def test_resolve_method_of_the_field_wins_over_the_policy():
    """resolve_<field> decides for its field only; others follow the policy."""
    class NewestWins(ConflictResolver):
        _model_name = 'shop.res.partner'

        def resolve_phone(self, found):
            return LOCAL if found.local_date > found.remote_date else REMOTE

        def resolve_loyalty_points(self, found):
            return Merge(found.local + found.remote - found.last)
    units = resolver(NewestWins, conflict_policy=REMOTE)
    assert units.resolve(conflict(remote_date=datetime(2026, 3, 1, 8, 0))) == LOCAL
    assert units.resolve(conflict(remote_date=datetime(2026, 3, 1, 11, 0))) == REMOTE
    merged = units.resolve(conflict('loyalty_points', last=10, local=15, remote=12))
    assert isinstance(merged, Merge) and merged.value == 17 and repr(merged) == 'Merge(17)'
    assert units.resolve(conflict('email')) == REMOTE


def test_policies_offered_to_a_backend():
    """The selection of a backend's conflict_policy: the three policies, remote first."""
    assert [key for key, _label in POLICIES] == [REMOTE, LOCAL, ASK]


def test_shown_values_read_as_a_person_reads_them():
    """The binding's log shows (empty) for an empty value, JSON otherwise, accents kept."""
    assert [shown(False), shown('Zoë'), shown(3), shown([1, 2])] == [
        '(empty)', '"Zoë"', '3', '[1, 2]']


@pytest.mark.parametrize('policy, outcome', [
    (LOCAL, 'local: the Odoo value is kept and sent to the backend'),
    (REMOTE, 'remote: the backend value is kept and written in Odoo'),
])
def test_settle_logs_the_conflict_and_its_decision_on_the_binding(policy, outcome):
    """settle() returns the decision and logs both values, who wrote Odoo's, and the outcome."""
    found = conflict(remote_date=datetime(2026, 3, 1, 10, 0))
    assert resolver(conflict_policy=policy).settle(found) == policy
    assert found.binding.log == [
        'phone changed on both sides (here "+33 2", by Sync Clerk on 2026-03-01 09:00:00; on '
        'the backend "+33 3", on 2026-03-01 10:00:00); decided: %s.' % outcome]


def test_settle_logs_a_merge_with_its_value():
    """A resolver's Merge is logged with the value both sides get."""
    class Sum(ConflictResolver):
        _model_name = 'shop.res.partner'

        def resolve_phone(self, found):
            return Merge('+33 5')
    found = conflict()
    decision = resolver(Sum).settle(found)
    assert isinstance(decision, Merge) and found.binding.log == [
        'phone changed on both sides (here "+33 2", by Sync Clerk on 2026-03-01 09:00:00; on '
        "the backend \"+33 3\", on an unknown date); decided: merge: both sides get the merged "
        "value '+33 5'."]


def test_settle_refuses_an_answer_that_is_no_decision():
    """A resolve() answering something else is a clear error, and nothing is logged."""
    class Nonsense(ConflictResolver):
        _model_name = 'shop.res.partner'

        def resolve(self, found):
            return 'maybe'
    found = conflict()
    with pytest.raises(ValueError, match=r"^Backend 'Shop': Nonsense.resolve\(\) returned 'maybe' "
                                         r"for field 'phone' of shop.res.partner,12; it must "
                                         r"return LOCAL, REMOTE, ASK or Merge\(value\)\.$"):
        resolver(Nonsense).settle(found)
    assert found.binding.log == []
