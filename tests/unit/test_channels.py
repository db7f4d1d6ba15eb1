# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Channel configuration: names, capacities and sequential channels parsed from text."""
import pytest

from odoo.addons.connector.exception import ChannelConfigError
from odoo.addons.connector.queue.channels import (ChannelSpec, check_channel_name, parent_names,
                                                  parse_channel_config, parse_channel_spec)
from odoo.addons.connector.queue.rate_limits import RateLimit


def refusal(text):
    """The message of the error that parsing ``text`` raises."""
    with pytest.raises(ChannelConfigError) as caught:
        parse_channel_config(text)
    return str(caught.value)


def test_config_gives_one_spec_per_channel_spaces_ignored():
    """Names, capacities and the sequential option are read; blanks around them ignored."""
    assert parse_channel_config(' root:4 , root.export:1:sequential,root.a-b_c') == [
        ChannelSpec('root', 4, False), ChannelSpec('root.export', 1, True),
        ChannelSpec('root.a-b_c', 0, False)]


def test_empty_config_gives_no_channel():
    """No text, or only commas and blanks, configures nothing."""
    assert parse_channel_config('') == []
    assert parse_channel_config(None) == []
    assert parse_channel_config(' , ,') == []


def test_spec_prints_back_as_configured():
    """A spec reads back as a text that configures it, capacity 0 (no limit) included."""
    assert [str(spec) for spec in parse_channel_config('root,root.a:3,root.b:1:sequential')] == [
        'root:0', 'root.a:3', 'root.b:1:sequential']


def test_sequential_channel_without_capacity_runs_one_job():
    """'name::sequential' is not valid, 'name:0:sequential' and 'name:1:sequential' are."""
    assert parse_channel_spec('root.x:0:sequential') == ChannelSpec('root.x', 0, True)
    assert parse_channel_spec('root.x:1:sequential') == ChannelSpec('root.x', 1, True)


def test_rate_and_burst_are_read_in_any_order_after_the_capacity():
    """Options follow the capacity (which may be left out) in any order."""
    assert parse_channel_spec('root.shop:2:burst=3:rate=5/s') == ChannelSpec(
        'root.shop', 2, False, RateLimit(5, 1), 3)
    assert parse_channel_spec('root.shop:rate=100/10m') == ChannelSpec(
        'root.shop', 0, False, RateLimit(100, 600), 1)
    assert parse_channel_spec('root.shop::rate=2/h:sequential') == ChannelSpec(
        'root.shop', 0, True, RateLimit(2, 3600), 1)
    assert str(parse_channel_spec('root.shop:rate=90/m')) == 'root.shop:0:rate=90/m'


@pytest.mark.parametrize('text, message', [
    ('root:4,root.export:two', "channel configuration 'root.export:two': capacity 'two' is not "
                               "a whole number; write for example 'root.export:2'"),
    ('root:-1', "channel configuration 'root:-1': capacity '-1' is not a whole number; write "
                "for example 'root:2'"),
    ('export:1', "channel configuration 'export:1': channel name 'export': every channel is "
                 "under 'root'; write for example 'root.export'"),
    ('root.x:1:parallel', "channel configuration 'root.x:1:parallel': unknown option "
                          "'parallel'; the options are 'sequential', 'rate=N/s', "
                          "'burst=N' and 'weight=N', as in 'root.x:1:sequential', "
                          "'root.x:2:rate=5/s:burst=3' or 'root.x:weight=3'"),
    ('root.x:2:sequential', "channel configuration 'root.x:2:sequential': a sequential "
                            "channel runs one job at a time, its capacity cannot be 2; write "
                            "'root.x:1:sequential'"),
    ('root.x:1:sequential:sequential', "channel configuration 'root.x:1:sequential:sequential':"
                                       " option 'sequential' is given twice; keep one"),
    ('root.x:rate=-5/s', "channel configuration 'root.x:rate=-5/s': rate '-5/s': '-5' is "
                         "not a whole number of starts from 1; write for example '5/s'"),
    ('root.x:rate=5/d', "channel configuration 'root.x:rate=5/d': rate '5/d': unknown unit "
                        "'d'; write N/s, N/m or N/h (N starts per second, minute or hour), "
                        "e.g. '5/s' or '100/10m'"),
    ('root.x:rate=5', "channel configuration 'root.x:rate=5': rate '5': write N/s, N/m or "
                      "N/h (N starts per second, minute or hour), e.g. '5/s'"),
    ('root.x:rate=5/0s', "channel configuration 'root.x:rate=5/0s': rate '5/0s': the period "
                         "cannot be 0; write for example '5/s'"),
    ('root.x:rate=5/s:burst=0', "channel configuration 'root.x:rate=5/s:burst=0': burst '0': "
                                "give a whole number from 1, the jobs that may start at once "
                                "after a quiet spell, e.g. 'burst=10'"),
    ('root.x:burst=3', "channel configuration 'root.x:burst=3': a burst needs a rate; write "
                       "for example 'root.x:rate=5/s:burst=3'"),
    ('root.x:rate', "channel configuration 'root.x:rate': unknown option 'rate'; the options "
                    "are 'sequential', 'rate=N/s', 'burst=N' and 'weight=N', as in "
                    "'root.x:1:sequential', 'root.x:2:rate=5/s:burst=3' or 'root.x:weight=3'"),
    ('root.x:weight', "channel configuration 'root.x:weight': unknown option 'weight'; the "
                      "options are 'sequential', 'rate=N/s', 'burst=N' and 'weight=N', as in "
                      "'root.x:1:sequential', 'root.x:2:rate=5/s:burst=3' or "
                      "'root.x:weight=3'"),
    ('root.x:1,root.x:2', "channel configuration: channel 'root.x' is configured twice; keep "
                          "one entry for it"),
])
def test_malformed_config_is_refused_naming_the_entry_and_the_fix(text, message):
    """Each kind of mistake names the bad entry, what is wrong and how to write it."""
    assert refusal(text) == message


@pytest.mark.parametrize('name, fragment', [
    ('root..x', "part ''"),
    ('root.ex port', "part 'ex port'"),
    ('root.é', "part 'é'"),
])
def test_bad_name_parts_are_refused(name, fragment):
    """A channel name is made of non-empty parts of letters, digits, '-' and '_'."""
    with pytest.raises(ChannelConfigError) as caught:
        check_channel_name(name)
    assert fragment in str(caught.value)


@pytest.mark.parametrize('name', ['', None, 7])
def test_name_that_is_not_a_text_is_refused(name):
    """An empty or non-text channel name says what a name looks like."""
    with pytest.raises(ChannelConfigError) as caught:
        check_channel_name(name)
    assert str(caught.value) == (
        "channel name %r: a channel name is a text such as 'root' or 'root.export'" % (name,))


def test_parent_names_go_from_the_channel_up_to_root():
    """A channel's capacity is shared with its parents: the chain ends at root."""
    assert parent_names('root') == ['root']
    assert parent_names('root.a.b') == ['root.a.b', 'root.a', 'root']


def test_a_rate_of_0_means_no_rate_limit_as_on_the_channel_form():
    """--channels root.x:2:rate=0/s: no rate limit (the form's 0), not an error."""
    spec = parse_channel_spec('root.x:2:rate=0/s')
    assert (spec.capacity, spec.rate) == (2, None)


def test_weight_is_read_with_the_other_options_and_printed_only_when_not_1():
    """'weight=N' goes with a capacity, a rate or alone; 1 is the default and not printed."""
    assert parse_channel_config('root:4,root.shop:weight=3,root.erp:weight=1') == [
        ChannelSpec('root', 4), ChannelSpec('root.shop', weight=3), ChannelSpec('root.erp')]
    assert parse_channel_spec('root.shop:2:rate=5/s:burst=3:weight=2') == ChannelSpec(
        'root.shop', 2, False, RateLimit(5, 1), 3, 2)
    assert parse_channel_spec('root.seq:1:weight=4:sequential') == ChannelSpec(
        'root.seq', 1, True, weight=4)
    assert [str(spec) for spec in parse_channel_config(
        'root.shop:weight=3,root.erp:weight=1,root.x:2:rate=5/s:burst=3:weight=2')] == [
        'root.shop:0:weight=3', 'root.erp:0', 'root.x:2:rate=5/s:burst=3:weight=2']


@pytest.mark.parametrize('weight', ['0', '-1', 'three', '1.5', '', ' '])
def test_weight_that_is_not_a_whole_number_from_1_is_refused(weight):
    """0, negatives, decimals and words are refused, naming the entry and what to write."""
    text = 'root.shop:weight=%s' % weight
    assert refusal(text) == (
        "channel configuration %r: weight %r: give a whole number from 1, the channel's "
        "share of its parent's starts against its siblings' weights, e.g. 'weight=3' (1 is "
        "the default)" % (text.strip(), weight.strip()))


def test_weight_given_twice_is_refused():
    """One weight per entry."""
    assert refusal('root.shop:weight=2:weight=3') == (
        "channel configuration 'root.shop:weight=2:weight=3': option 'weight' is given "
        "twice; keep one")
