"""common.memo: a value is computed once per user object, and forgotten by the prefix of its key."""

from types import SimpleNamespace

from common.memo import forget, memoized_on


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_value_is_computed_once_per_user_and_none_is_kept_too():
    user = SimpleNamespace()
    compute, calls = counting(None)

    assert memoized_on(user, "scope:own_member", compute) is None
    assert memoized_on(user, "scope:own_member", compute) is None

    assert len(calls) == 1


def test_another_user_object_computes_its_own():
    compute, calls = counting(3)

    assert memoized_on(SimpleNamespace(), "badge", compute) == 3
    assert memoized_on(SimpleNamespace(), "badge", compute) == 3

    assert len(calls) == 2


def test_forget_drops_only_the_keys_with_the_prefix():
    user = SimpleNamespace()
    memoized_on(user, "scope:roles", lambda: "old roles")
    memoized_on(user, "scope:library_places", lambda: "old places")
    memoized_on(user, "badge", lambda: 7)

    forget(user, "scope:")

    assert memoized_on(user, "scope:roles", lambda: "new roles") == "new roles"
    assert memoized_on(user, "scope:library_places", lambda: "new places") == "new places"
    assert memoized_on(user, "badge", lambda: 0) == 7


def test_forgetting_on_a_user_with_nothing_kept_does_nothing():
    user = SimpleNamespace()

    forget(user, "scope:")

    assert user.__dict__ == {}
