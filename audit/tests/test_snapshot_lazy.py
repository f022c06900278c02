"""A snapshot of a lazily loaded record (request.user is one) is the record's own."""

from django.utils.functional import SimpleLazyObject

from audit.services import snapshot


def test_a_lazy_object_is_snapshotted_as_the_record_it_wraps(tree):
    user = tree.users["member_a1"]

    assert snapshot(SimpleLazyObject(lambda: user)) == snapshot(user)
