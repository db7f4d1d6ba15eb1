# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The decision table of two-way sync (``plan_field``), case by case.

Every case of side that changed x decision x direction, each asserting the
whole plan. The expected plans are written out here, apart from the table
in ``sync_state``: the rule is stated twice on purpose, once as code and
once as its specification.
"""
import pytest

from odoo.addons.connector.unit.conflict import ASK, LOCAL, REMOTE, Merge
from odoo.addons.connector.unit.synchronizer.sync_state import (CHOICE, EXPORT, IMPORT, UNTRACKED,
                                                                FieldPlan, plan_field)

MERGED = Merge('+33 5')

#: What changed since the last sync: (last, local, remote), comparable values.
SIDES = {
    'nothing changed': ('+33 1', '+33 1', '+33 1'),
    'both made the same change': ('+33 1', '+33 2', '+33 2'),
    'never synchronized, equal': (UNTRACKED, '+33 2', '+33 2'),
    'Odoo changed': ('+33 1', '+33 2', '+33 1'),
    'the backend changed': ('+33 1', '+33 1', '+33 3'),
    'never synchronized, different': (UNTRACKED, '+33 2', '+33 3'),
    'the backend value is not comparable': ('+33 1', '+33 1', UNTRACKED),
    'the Odoo value is not comparable': ('+33 1', UNTRACKED, '+33 1'),
    'both changed': ('+33 1', '+33 2', '+33 3'),
}

#: The decision given to plan_field: none yet, a policy, or a resolver's merge.
DECISIONS = {'undecided': None, 'local': LOCAL, 'remote': REMOTE, 'ask': ASK, 'merge': MERGED}

NOTHING = FieldPlan()
UNDECIDED = FieldPlan(undecided=True)
IN_SYNC = FieldPlan(record=REMOTE)  # equal: record the value both sides have

#: (direction, side) -> the plan whatever the decision, or {decision: plan}.
EXPECTED = {
    # An import writes what only the backend changed, and what nobody can tell.
    (IMPORT, 'nothing changed'): IN_SYNC,
    (IMPORT, 'both made the same change'): IN_SYNC,
    (IMPORT, 'never synchronized, equal'): IN_SYNC,
    (IMPORT, 'Odoo changed'): NOTHING,  # the export job of that change sends it
    (IMPORT, 'the backend changed'): FieldPlan(write=REMOTE, record=REMOTE),
    (IMPORT, 'never synchronized, different'): FieldPlan(write=REMOTE, record=REMOTE),
    (IMPORT, 'the backend value is not comparable'): FieldPlan(write=REMOTE),
    (IMPORT, 'the Odoo value is not comparable'): FieldPlan(write=REMOTE),
    (IMPORT, 'both changed'): {
        'undecided': UNDECIDED,
        'remote': FieldPlan(write=REMOTE, record=REMOTE),
        'local': FieldPlan(later=EXPORT, record=REMOTE),
        'merge': FieldPlan(write=MERGED, later=EXPORT, record=REMOTE),
        'ask': NOTHING,
    },
    # An export sends what only Odoo changed, and what nobody can tell.
    (EXPORT, 'nothing changed'): IN_SYNC,
    (EXPORT, 'both made the same change'): IN_SYNC,
    (EXPORT, 'never synchronized, equal'): IN_SYNC,
    (EXPORT, 'Odoo changed'): FieldPlan(send=True, record=LOCAL),
    (EXPORT, 'the backend changed'): NOTHING,  # the next import brings it
    (EXPORT, 'never synchronized, different'): FieldPlan(send=True, record=LOCAL),
    (EXPORT, 'the backend value is not comparable'): FieldPlan(send=True, record=LOCAL),
    (EXPORT, 'the Odoo value is not comparable'): FieldPlan(send=True, record=LOCAL),
    (EXPORT, 'both changed'): {
        'undecided': UNDECIDED,
        'local': FieldPlan(send=True, record=LOCAL),
        'remote': FieldPlan(later=IMPORT, record=LOCAL),
        'merge': FieldPlan(write=MERGED, send=True, record=LOCAL),
        'ask': NOTHING,
    },
}
# A person's choice at a checkpoint: whatever changed since, a job carries the
# chosen value; the other side's is recorded so that only the chosen one looks changed.
for _side in SIDES:
    EXPECTED[CHOICE, _side] = {
        'local': FieldPlan(later=EXPORT, record=REMOTE),
        'remote': FieldPlan(later=IMPORT, record=LOCAL),
        'undecided': ValueError, 'ask': ValueError, 'merge': ValueError,
    }


def expected_plan(direction, side, decision):
    expected = EXPECTED[direction, side]
    return expected[decision] if isinstance(expected, dict) else expected


CASES = [pytest.param(direction, side, decision, id='%s-%s-%s' % (direction, side, decision))
         for direction in (IMPORT, EXPORT, CHOICE) for side in SIDES for decision in DECISIONS]


@pytest.mark.parametrize('direction, side, decision', CASES)
def test_plan_of_each_case(direction, side, decision):
    """The whole plan of one field, for each side that changed, decision and direction."""
    expected = expected_plan(direction, side, decision)
    if expected is ValueError:
        with pytest.raises(ValueError, match=r"^plan_field: no plan for the decision .* in a "
                                             r"person's choice; it must be LOCAL or REMOTE\.$"):
            plan_field(direction, *SIDES[side], decision=DECISIONS[decision])
    else:
        assert plan_field(direction, *SIDES[side], decision=DECISIONS[decision]) == expected


def test_every_case_is_in_the_table():
    """The specification above names every direction and side, so no case goes untested."""
    assert len(CASES) == 3 * 9 * 5
    assert {(direction, side) for direction, side, _decision in
            (case.values for case in CASES)} == set(EXPECTED)


def carry_out(direction, values, decision=None):
    """Apply the plan of one field to plain values: (last, local, remote) after, and the
    job it delays."""
    last, local, remote = values
    plan = plan_field(direction, last, local, remote, decision=decision)
    if plan.write == REMOTE:
        local = remote
    elif isinstance(plan.write, Merge):
        local = plan.write.value
    if plan.send:
        remote = local
    last = {LOCAL: local, REMOTE: remote, None: last}[plan.record]
    return (last, local, remote), plan.later


@pytest.mark.parametrize('direction, decision, winner', [
    (IMPORT, LOCAL, '+33 2'), (IMPORT, REMOTE, '+33 3'), (IMPORT, MERGED, '+33 5'),
    (EXPORT, LOCAL, '+33 2'), (EXPORT, REMOTE, '+33 3'), (EXPORT, MERGED, '+33 5'),
    (CHOICE, LOCAL, '+33 2'), (CHOICE, REMOTE, '+33 3'),
])
def test_a_decided_conflict_ends_with_the_winner_on_both_sides(direction, decision, winner):
    """Carried out, with the job it delays, a decided conflict leaves the winner's value
    on both sides and as the last synchronized value: the job sees no conflict."""
    values, later = carry_out(direction, SIDES['both changed'], decision)
    if later is not None:
        values, later = carry_out(later, values)
    assert (values, later) == ((winner, winner, winner), None)


def test_a_decision_outside_the_table_is_refused():
    """A resolver's answer that is not LOCAL, REMOTE, ASK or a Merge: ValueError."""
    with pytest.raises(ValueError, match=r"^plan_field: no plan for the decision 'maybe' in "
                                         r"an import; it must be LOCAL, REMOTE, ASK or "
                                         r"Merge\(value\)\.$"):
        plan_field(IMPORT, *SIDES['both changed'], decision='maybe')


def test_an_unknown_direction_is_refused():
    """Only an import, an export or a person's choice has a plan."""
    with pytest.raises(ValueError, match=r"^plan_field: unknown direction 'sideways'; use "
                                         r"IMPORT, EXPORT or CHOICE\.$"):
        plan_field('sideways', *SIDES['both changed'], decision=LOCAL)
