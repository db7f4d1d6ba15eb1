# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Channels: named lanes of the job queue, with a capacity each.

Channels form a tree under ``root`` (``root.export``, ``root.export.orders``).
A channel's capacity bounds how many jobs of that channel *and its
subchannels* run at the same time, across every worker; a sequential
channel runs one job at a time, strictly in queue order.

Workers read the capacities from the ``queue_job_channel`` table. An
operator may also give them on the runner's command line or in the Odoo
configuration file, as a comma-separated list parsed here::

    >>> [str(spec) for spec in parse_channel_config('root:4, root.export:1:sequential')]
    ['root:4', 'root.export:1:sequential']

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
from typing import List, NamedTuple, Optional

from ..exception import ChannelConfigError

ROOT = 'root'
_NAME_PART = re.compile(r'^[A-Za-z0-9_\-]+$')


class ChannelSpec(NamedTuple):
    """One channel of a configuration: its full name, capacity and mode.

    ``capacity`` 0 means no limit of its own (its parents still apply).
    """

    name: str
    capacity: int = 0
    sequential: bool = False

    def __str__(self) -> str:
        text = '%s:%d' % (self.name, self.capacity)
        return text + ':sequential' if self.sequential else text


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
    """Parse one ``name[:capacity[:sequential]]`` item of a configuration."""
    text = item.strip()
    fields = [f.strip() for f in text.split(':')]
    if len(fields) > 3:
        raise ChannelConfigError(
            'channel configuration %r: too many ":" parts; the form is '
            "name[:capacity[:sequential]], e.g. 'root.export:1:sequential'" % text)
    try:
        name = check_channel_name(fields[0])
    except ChannelConfigError as err:
        raise ChannelConfigError('channel configuration %r: %s' % (text, err)) from err
    capacity = 0
    if len(fields) > 1:
        if not fields[1].isdigit():
            raise ChannelConfigError(
                'channel configuration %r: capacity %r is not a whole number; '
                "write for example '%s:2'" % (text, fields[1], name))
        capacity = int(fields[1])
    sequential = False
    if len(fields) > 2:
        if fields[2] != 'sequential':
            raise ChannelConfigError(
                'channel configuration %r: unknown option %r; the only option is '
                "'sequential', as in '%s:1:sequential'" % (text, fields[2], name))
        sequential = True
        if capacity > 1:
            raise ChannelConfigError(
                'channel configuration %r: a sequential channel runs one job at a '
                "time, its capacity cannot be %d; write '%s:1:sequential'"
                % (text, capacity, name))
    return ChannelSpec(name, capacity, sequential)


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
