"""Kept values guarded by change tokens (common/freshness.py)."""

import pytest
from django.core.cache import cache

from common import freshness


def test_a_value_kept_by_an_older_shape_of_entry_is_computed_again_not_read():
    # After an upgrade the cache still holds what the code before kept under the same key (no "until").
    cache.set("old-shaped", {"tokens": {}, "value": "from before"}, 60)
    cache.set("not-a-dict", "from before", 60)

    assert freshness.kept("old-shaped", [freshness.user_token(1)], lambda: "now", seconds=60) == "now"
    assert freshness.kept("not-a-dict", [], lambda: "now", seconds=60) == "now"
    # ... and what it kept in their place is read from then on
    assert freshness.kept("old-shaped", [freshness.user_token(1)], lambda: "again", seconds=60) == "now"


def test_a_value_kept_with_no_token_is_read_until_its_time():
    assert freshness.kept("no-token", [], lambda: "first", seconds=60) == "first"
    assert freshness.kept("no-token", [], lambda: "second", seconds=60) == "first"


@pytest.mark.django_db
def test_a_value_is_computed_again_once_a_token_it_stands_for_is_renewed():
    name = freshness.user_token(7)
    assert freshness.kept("guarded", [name], lambda: "first", seconds=60) == "first"
    freshness.changed(name)
    assert freshness.kept("guarded", [name], lambda: "second", seconds=60) == "second"
