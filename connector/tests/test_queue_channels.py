# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pure parts of the job queue: channel configuration, retry backoff.

No database: these run in a plain unittest.TestCase. The order in which
jobs are claimed is the claim statement's: ``tests/test_queue_store.py``.
The docstring examples of these modules run in the fast tier
(``tests/unit/test_doctests.py``).
"""
import unittest

from ..queue.channels import (ChannelConfigError, ChannelSpec, parse_channel_config,
                              parent_names)
from ..queue.retry import check_retry_pattern, retries_exhausted, retry_delay


class TestChannelConfig(unittest.TestCase):

    def test_config_parses_names_capacities_and_sequential(self):
        """A configuration gives one spec per channel, spaces ignored."""
        self.assertEqual(parse_channel_config(' root:4 , root.export:1:sequential,root.a-b_c'), [
            ChannelSpec('root', 4, False), ChannelSpec('root.export', 1, True),
            ChannelSpec('root.a-b_c', 0, False)])
        self.assertEqual(parse_channel_config(''), [])
        self.assertEqual(parse_channel_config(None), [])

    def assertRefused(self, text, *fragments):
        with self.assertRaises(ChannelConfigError) as caught:
            parse_channel_config(text)
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))

    def test_malformed_configs_are_refused_naming_the_bad_part(self):
        """Each kind of mistake names the entry and what is wrong with it."""
        self.assertRefused('root:4,root.export:two', "'root.export:two'",
                           "capacity 'two' is not a whole number")
        self.assertRefused('root:-1', "capacity '-1' is not a whole number")
        self.assertRefused('export:1', "every channel is under 'root'", "'root.export'")
        self.assertRefused('root..x:1', "part ''")
        self.assertRefused('root.ex port', "part 'ex port'")
        self.assertRefused('root.x:1:parallel', "unknown option 'parallel'")
        self.assertRefused('root.x:3:sequential', 'its capacity cannot be 3')
        self.assertRefused('root.x:1:sequential:yes', 'too many ":" parts')
        self.assertRefused('root.x:1,root.x:2', "channel 'root.x' is configured twice")

    def test_parent_names_go_up_to_root(self):
        self.assertEqual(parent_names('root'), ['root'])
        self.assertEqual(parent_names('root.a.b'), ['root.a.b', 'root.a', 'root'])


class TestRetry(unittest.TestCase):

    def test_pattern_gives_the_delay_of_the_last_threshold_reached(self):
        pattern = check_retry_pattern({1: 10, 5: 60, 10: 600})
        self.assertEqual([retry_delay(n, pattern) for n in (1, 4, 5, 9, 10, 99)],
                         [10, 10, 60, 60, 600, 600])

    def test_pattern_starting_later_uses_its_first_delay(self):
        self.assertEqual(retry_delay(1, {3: 30}), 30)

    def test_default_backoff_doubles_up_to_an_hour(self):
        self.assertEqual([retry_delay(n) for n in (1, 2, 3, 4, 9, 100)],
                         [10, 20, 40, 80, 2560, 3600])

    def test_exception_seconds_win(self):
        self.assertEqual(retry_delay(3, {1: 10}, seconds=2), 2)
        self.assertEqual(retry_delay(3, None, seconds=-5), 0)

    def test_bad_patterns_are_refused(self):
        for bad in ({0: 10}, {1: -1}, {'1': 10}, {1: 1.5}, [1, 2]):
            with self.assertRaises(ValueError) as caught:
                check_retry_pattern(bad)
            self.assertIn('retry pattern', str(caught.exception))

    def test_max_retries_zero_means_no_limit(self):
        self.assertTrue(retries_exhausted(3, 3))
        self.assertFalse(retries_exhausted(2, 3))
        self.assertFalse(retries_exhausted(1000, 0))
