# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Channels: named lanes of the job queue, with a capacity, a rate limit and a weight.

Channels form a tree under ``root`` (``root.export``, ``root.export.orders``).
A channel's capacity bounds how many jobs of that channel *and its
subchannels* run at the same time, across every worker; a sequential
channel runs one job at a time, strictly in queue order; a rate limit
bounds how many of them start per second, minute or hour
(``rate_limits.py``). When a channel's capacity or rate is what holds
starts back, its subchannels share the starts it allows in proportion to
their weights (1 when not given): a child of weight 3 gets three starts for
one of a sibling of weight 1 while both have jobs to run, whatever the age
of their jobs.

Workers read the capacities from the ``queue_job_channel`` table. An
operator may also give them on the runner's command line or in the Odoo
configuration file, as a comma-separated list parsed here::

    >>> [str(spec) for spec in parse_channel_config(
    ...     'root:4, root.export:1:sequential, root.shop:2:rate=5/s:burst=3:weight=3')]
    ['root:4', 'root.export:1:sequential', 'root.shop:2:rate=5/s:burst=3:weight=3']

A malformed configuration is refused with a message naming the bad part::

    >>> try:
    ...     parse_channel_config('root.export:two')
    ... except ChannelConfigError as err:
    ...     print(err)
    channel configuration 'root.export:two': capacity 'two' is not a whole number; \
write for example 'root.export:2'

This module is pure Python (no ORM, no database) so it is tested alone.
"""
import re
from typing import Dict, List, NamedTuple, Optional

from ..exception import ChannelConfigError
from .rate_limits import RateLimit, parse_burst, parse_rate

ROOT = 'root'
_NAME_PART = re.compile(r'^[A-Za-z0-9_\-]+$')
OPTIONS = ('sequential', 'rate', 'burst', 'weight')


class ChannelSpec(NamedTuple):
    """One channel of a configuration: its full name, capacity, mode, rate limit
    and weight.

    ``capacity`` 0 means no limit of its own (its parents still apply);
    ``rate`` None means no rate limit (``rate_limits.py``), and ``burst``
    how many jobs may start at once under it (1 when not given);
    ``weight`` its share of the starts its parent allows, against its
    siblings' weights (1 when not given).
    """

    name: str
    capacity: int = 0
    sequential: bool = False
    rate: Optional[RateLimit] = None
    burst: int = 1
    weight: int = 1

    def __str__(self) -> str:
        text = '%s:%d' % (self.name, self.capacity)
        if self.sequential:
            text += ':sequential'
        if self.rate is not None:
            text += ':rate=%s' % (self.rate,)
            if self.burst > 1:
                text += ':burst=%d' % self.burst
        if self.weight != 1:
            text += ':weight=%d' % self.weight
        return text


def check_channel_name(name: str) -> str:
    """Return ``name`` when it is a valid full channel name, else raise.

    >>> check_channel_name('root.export')
    'root.export'
    """
    if not isinstance(name, str) or not name:
        raise ChannelConfigError(
            'channel name %r: a channel name is a text such as '
            "'root' or 'root.export'" % (name,))
    parts = name.split('.')
    if parts[0] != ROOT:
        raise ChannelConfigError(
            "channel name %r: every channel is under 'root'; write for example "
            "'root.%s'" % (name, name))
    for part in parts[1:]:
        if not _NAME_PART.match(part):
            raise ChannelConfigError(
                'channel name %r: part %r is empty or has characters other than '
                'letters, digits, "_" and "-"' % (name, part))
    return name


def parent_names(name: str) -> List[str]:
    """The channel and its ancestors, from the channel up to ``root``.

    >>> parent_names('root.export.orders')
    ['root.export.orders', 'root.export', 'root']
    """
    parts = name.split('.')
    return ['.'.join(parts[:i]) for i in range(len(parts), 0, -1)]


def parse_channel_spec(item: str) -> ChannelSpec:
    """Parse one ``name[:capacity][:sequential][:rate=N/unit[:burst=N]][:weight=N]`` item.

    >>> print(parse_channel_spec('root.shop:2:rate=5/s:burst=3'))
    root.shop:2:rate=5/s:burst=3
    >>> print(parse_channel_spec('root.shop:weight=3'))
    root.shop:0:weight=3
    >>> print(parse_channel_spec('root.erp:weight=1'))
    root.erp:0
    >>> print(parse_channel_spec('root.shop::rate=100/m'))
    root.shop:0:rate=100/m

    A rate of 0 starts means no rate limit, as 0 does on the channel's form:

    >>> print(parse_channel_spec('root.shop:2:rate=0/s'))
    root.shop:2
    """
    text = item.strip()
    fields = [f.strip() for f in text.split(':')]
    try:
        name = check_channel_name(fields[0])
    except ChannelConfigError as err:
        raise ChannelConfigError('channel configuration %r: %s' % (text, err)) from err
    capacity = 0
    options = fields[1:]
    if options and options[0].partition('=')[0] not in OPTIONS:
        if options[0] and not options[0].isdigit():
            raise ChannelConfigError(
                'channel configuration %r: capacity %r is not a whole number; '
                "write for example '%s:2'" % (text, options[0], name))
        capacity = int(options[0] or 0)
        options = options[1:]
    given = {}  # type: Dict[str, str]
    for option in options:
        key, _equal, value = option.partition('=')
        if key not in OPTIONS or (key == 'sequential') == bool(_equal):
            raise ChannelConfigError(
                'channel configuration %r: unknown option %r; the options are '
                "'sequential', 'rate=N/s', 'burst=N' and 'weight=N', as in "
                "'%s:1:sequential', '%s:2:rate=5/s:burst=3' or '%s:weight=3'"
                % (text, option, name, name, name))
        if key in given:
            raise ChannelConfigError('channel configuration %r: option %r is given twice; '
                                     'keep one' % (text, key))
        given[key] = value
    sequential = 'sequential' in given
    if sequential and capacity > 1:
        raise ChannelConfigError(
            'channel configuration %r: a sequential channel runs one job at a '
            "time, its capacity cannot be %d; write '%s:1:sequential'"
            % (text, capacity, name))
    no_rate = given.get('rate', '').partition('/')[0].strip() == '0'  # as 0 on the form
    try:
        rate = parse_rate(given['rate']) if 'rate' in given and not no_rate else None
        burst = parse_burst(given['burst']) if 'burst' in given else 1
        weight = parse_weight(given['weight']) if 'weight' in given else 1
    except ChannelConfigError as err:
        raise ChannelConfigError('channel configuration %r: %s' % (text, err)) from err
    if 'burst' in given and rate is None:
        raise ChannelConfigError(
            "channel configuration %r: a burst needs a rate; write for example "
            "'%s:rate=5/s:burst=%d'" % (text, name, burst))
    return ChannelSpec(name, capacity, sequential, rate, burst, weight)


def parse_weight(text: str) -> int:
    """Parse a weight: a whole number from 1, the channel's share against its siblings.

    >>> parse_weight('3')
    3
    >>> try:
    ...     parse_weight('0')
    ... except ChannelConfigError as err:
    ...     print(err)
    weight '0': give a whole number from 1, the channel's share of its parent's starts \
against its siblings' weights, e.g. 'weight=3' (1 is the default)
    """
    if not (text or '').strip().isdigit() or int(text) < 1:
        raise ChannelConfigError(
            "weight %r: give a whole number from 1, the channel's share of its parent's "
            "starts against its siblings' weights, e.g. 'weight=3' (1 is the default)"
            % (text,))
    return int(text)


def parse_channel_config(text: Optional[str]) -> List[ChannelSpec]:
    """Parse a comma-separated channel configuration; '' gives no channel.

    A channel named twice is refused: which one wins would be a guess.
    """
    specs = []  # type: List[ChannelSpec]
    seen = set()
    for item in (text or '').split(','):
        if not item.strip():
            continue
        spec = parse_channel_spec(item)
        if spec.name in seen:
            raise ChannelConfigError(
                'channel configuration: channel %r is configured twice; keep one '
                'entry for it' % spec.name)
        seen.add(spec.name)
        specs.append(spec)
    return specs
