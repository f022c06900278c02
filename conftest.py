"""The one small tree every test starts from.

TW (central)
└── HN province committee                      ← province_viewer
    ├── XA commune committee (area: Xã A)      ← officer_a, admin_a
    │   ├── XA-C1 attached cell (Thôn 1)       ← secretary_a1, member_a1 (own record)
    │   ├── XA-C2 attached cell (Thôn 2)
    │   └── XA-G grassroots committee
    │       └── XA-G-C1 attached cell
    └── XB commune committee (area: Xã B)      ← officer_b (the sibling)
        └── XB-C1 attached cell
"""

import dataclasses
import random
import zlib

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from common.tests import clock
from common.tests.serials import Serial
from members.tests.factories import make_member
from orgunits.choices import AreaKind, UnitKind
from orgunits.tests.factories import make_area, make_unit

pytest_plugins = ["common.tests.browser"]

# Property tests draw the same examples on every run: a failure seen once is seen again.
hypothesis_settings.register_profile("seeded", derandomize=True)
hypothesis_settings.load_profile("seeded")


@pytest.fixture(autouse=True)
def pinned_clock(time_machine):
    """Every test starts at clock.NOW (the clock then ticks): no test depends on the real date or hour."""
    time_machine.move_to(clock.NOW, tick=True)
    return time_machine


@pytest.fixture(autouse=True)
def seeded_randomness(request):
    """Whatever a test draws at random is drawn the same way each run, whichever tests ran before it in the
    worker: `random` is seeded from the test's own name, and the factories' serials start afresh."""
    seed = zlib.crc32(request.node.nodeid.encode())
    random.seed(seed)
    Serial.restart_all()


@dataclasses.dataclass
class Tree:
    central: object
    province: object
    commune_a: object
    cell_a1: object
    cell_a2: object
    grassroots_a: object
    cell_ag1: object
    commune_b: object
    cell_b1: object
    area_province: object
    area_a: object
    village_a1: object
    area_b: object
    member_a1: object
    member_a2: object
    member_b1: object
    users: dict


@pytest.fixture
def tree(db) -> Tree:
    area_province = make_area(kind=AreaKind.PROVINCE, name="Thành phố Hà Nội", code="AR-HN")
    area_a = make_area(parent=area_province, kind=AreaKind.COMMUNE, name="Xã A", code="AR-XA")
    village_a1 = make_area(parent=area_a, kind=AreaKind.VILLAGE, name="Thôn 1", code="AR-XA-T1")
    area_b = make_area(parent=area_province, kind=AreaKind.COMMUNE, name="Xã B", code="AR-XB")

    central = make_unit(kind=UnitKind.CENTRAL, name="Trung ương", code="TW")
    province = make_unit(
        parent=central, kind=UnitKind.PROVINCE_COMMITTEE, name="Đảng bộ Thành phố Hà Nội", code="HN", area=area_province
    )
    commune_a = make_unit(parent=province, kind=UnitKind.COMMUNE_COMMITTEE, name="Đảng bộ xã A", code="XA", area=area_a)
    cell_a1 = make_unit(parent=commune_a, name="Chi bộ thôn 1", code="XA-C1", area=village_a1)
    cell_a2 = make_unit(parent=commune_a, name="Chi bộ thôn 2", code="XA-C2")
    grassroots_a = make_unit(
        parent=commune_a, kind=UnitKind.GRASSROOTS_COMMITTEE, name="Đảng bộ Trường học xã A", code="XA-G"
    )
    cell_ag1 = make_unit(parent=grassroots_a, name="Chi bộ giáo viên", code="XA-G-C1")
    commune_b = make_unit(parent=province, kind=UnitKind.COMMUNE_COMMITTEE, name="Đảng bộ xã B", code="XB", area=area_b)
    cell_b1 = make_unit(parent=commune_b, name="Chi bộ thôn Đông", code="XB-C1")

    member_a1 = make_member(unit=cell_a1, full_name="Nguyễn Văn An")
    member_a2 = make_member(unit=cell_a2, full_name="Trần Thị Bình", sex="female")
    member_b1 = make_member(unit=cell_b1, full_name="Lê Văn Cường", sex="male")

    users = {
        "province_viewer": make_user(role=RoleKind.VIEWER, unit=province, username="province_viewer"),
        "officer_a": make_user(role=RoleKind.COMMITTEE_OFFICER, unit=commune_a, username="officer_a"),
        "admin_a": make_user(role=RoleKind.COMMITTEE_ADMIN, unit=commune_a, username="admin_a"),
        "secretary_a1": make_user(role=RoleKind.CELL_SECRETARY, unit=cell_a1, username="secretary_a1"),
        "member_a1": make_user(role=RoleKind.MEMBER, unit=cell_a1, username="member_a1", member=member_a1),
        "officer_b": make_user(role=RoleKind.COMMITTEE_OFFICER, unit=commune_b, username="officer_b"),
        "no_role": make_user(username="no_role"),
    }
    return Tree(
        central=central,
        province=province,
        commune_a=commune_a,
        cell_a1=cell_a1,
        cell_a2=cell_a2,
        grassroots_a=grassroots_a,
        cell_ag1=cell_ag1,
        commune_b=commune_b,
        cell_b1=cell_b1,
        area_province=area_province,
        area_a=area_a,
        village_a1=village_a1,
        area_b=area_b,
        member_a1=member_a1,
        member_a2=member_a2,
        member_b1=member_b1,
        users=users,
    )


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's server, started after the test database so that it stops (and drops its connection)
    before the database is dropped; otherwise PostgreSQL refuses to drop a database still in use."""
    return live_server


@pytest.fixture(autouse=True)
def source_language():
    """Messages in English (the source strings) unless a test asks for Vietnamese; otherwise the language a
    previous test's request left active in the thread would decide, and the outcome would depend on order."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """Pages in English unless a test asks for Vietnamese: assertions read the source strings. The browser's
    Accept-Language is ignored (accounts/language.py), so the client holds the language switch's cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def officer_a(client, tree):
    client.force_login(tree.users["officer_a"])
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: pages and change tokens kept by an earlier test (whose rows may
    have had the same ids) must not answer this one's requests."""
    from django.core.cache import cache

    cache.clear()
    yield
