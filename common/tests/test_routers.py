"""The replica router, with two database aliases: heavy reads go to the replica, everything else to the primary."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from common.routers import heavy_read_view, heavy_reads
from members.models import Member

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.READ_REPLICA = "replica"


def queries_on(alias, action):
    with CaptureQueriesContext(connections[alias]) as captured:
        action()
    return len(captured)


def test_heavy_reads_go_to_the_replica_and_see_the_primarys_rows(tree, replica):
    with heavy_reads():
        on_replica = queries_on("replica", lambda: list(Member.objects.all()))
        names = set(Member.objects.values_list("full_name", flat=True))

    assert on_replica == 1
    assert tree.member_a1.full_name in names


def test_ordinary_reads_and_every_write_stay_on_the_primary(tree, replica):
    assert queries_on("replica", lambda: list(Member.objects.all())) == 0
    with heavy_reads():
        writes_on_replica = queries_on("replica", lambda: Member.objects.filter(pk=tree.member_a1.pk).update(notes="x"))

    assert writes_on_replica == 0
    assert Member.objects.get(pk=tree.member_a1.pk).notes == "x"


def test_without_a_configured_replica_heavy_reads_use_the_primary(tree):
    with heavy_reads():
        assert queries_on("replica", lambda: list(Member.objects.all())) == 0
        assert Member.objects.all().db == "default"


def test_a_heavy_read_view_reads_from_the_replica_on_get_only(rf, tree, replica):
    seen = []

    @heavy_read_view
    def view(request):
        seen.append(Member.objects.all().db)

    view(rf.get("/"))
    view(rf.post("/"))

    assert seen == ["replica", "default"]
