"""Demo data: one province, a large ward of about 13,000 members and a small commune, with demo logins.

Everything is created through the services (units, areas, members, users, roles), so the demo data
passes the same rules as real data and every row has its change-log entry with the source "command".
The same seed gives the same people; dates are counted back from the day the data is loaded, so a
probationary member has always joined within the last twelve months.

The shape follows the rollout articles: residential-group and village cells attached to the commune
committee hold most members, who are old (many born 1940–1965, many retired, some exempt from
activities); a school, a health centre and a company are grassroots committees with a few cells of
working-age members; the police and the military each have a grassroots cell.
"""

import dataclasses
import datetime
import random
from collections.abc import Callable

from django.db import transaction
from faker import Faker

from accounts.choices import RoleKind
from accounts.models import User
from accounts.registration import user_create
from accounts.services import role_grant
from audit.choices import ChangeSource
from audit.context import change_context
from common.dates import add_years, today
from members.choices import IneligibilityReason, LeavingForm, MemberStatus, PoliticalTheory, Sex, Standing
from members.models import Member
from members.quality import checks
from members.services import members_bulk_create
from orgunits.choices import AreaKind, UnitKind
from orgunits.divisions import official_divisions
from orgunits.models import AdminArea, Unit
from orgunits.services import area_create, unit_create

from . import story
from .helpers import DEMO_PASSWORD, DEMO_REASON, REORGANISED_ON, lower_first, weighted, weighted_spread

DEFAULT_SEED = 2026
DEFAULT_MEMBERS = 13_000
DEFAULT_CELLS = 150
DEFAULT_SMALL_MEMBERS = 300
DEFAULT_SMALL_CELLS = 7

PROVINCE_NAME = "Hưng Yên"
PROVINCE_CODE = "HY"
PROVINCE_OFFICIAL_CODE = "33"
PROVINCE_CITIZEN_ID_CODE = "033"
LARGE_CODE = "HY-X01"
SMALL_CODE = "HY-X02"
DEMO_CELL_CODE = "HY-X01-C001"
# Place in the demo cell's member list of the secretary and of the member behind the "dangvien" login.
SECRETARY_INDEX = 0
DEMO_MEMBER_INDEX = 4


@dataclasses.dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit_code: str
    description: str
    last_name: str = ""
    first_name: str = ""
    # Linked to a member record of the unit (the cell secretary, the plain member).
    member_index: int | None = None


# The order is the order `demo_logins` prints them in: the widest scope first.
DEMO_LOGINS = (
    DemoLogin("tinhuy", RoleKind.COMMITTEE_ADMIN, PROVINCE_CODE, "Quản trị Tỉnh ủy", "Hoàng Văn", "Sơn"),
    DemoLogin("xem", RoleKind.VIEWER, PROVINCE_CODE, "Chỉ xem, toàn tỉnh", "Đỗ Thị", "Lan"),
    DemoLogin("admin", RoleKind.COMMITTEE_ADMIN, LARGE_CODE, "Quản trị Đảng ủy phường", "Phạm Minh", "Tuấn"),
    DemoLogin("canbo", RoleKind.COMMITTEE_OFFICER, LARGE_CODE, "Cán bộ Văn phòng Đảng ủy", "Nguyễn Thị Thu", "Hà"),
    DemoLogin("hotro", RoleKind.SUPPORTER, LARGE_CODE, "Tổ công nghệ số cộng đồng", "Lê Hoàng", "Nam"),
    DemoLogin("bithu", RoleKind.CELL_SECRETARY, DEMO_CELL_CODE, "Bí thư chi bộ", member_index=SECRETARY_INDEX),
    DemoLogin("dangvien", RoleKind.MEMBER, DEMO_CELL_CODE, "Đảng viên", member_index=DEMO_MEMBER_INDEX),
    DemoLogin("canbo2", RoleKind.COMMITTEE_OFFICER, SMALL_CODE, "Cán bộ Đảng ủy xã", "Vũ Đức", "Thắng"),
)
DEMO_USERNAMES = tuple(login.username for login in DEMO_LOGINS)

# Units opened when the two-level local government started (Quy định 294-QĐ/TW).

VILLAGE_NAMES = (
    "An Tảo", "Bảo Châu", "Cao Xá", "Đằng Châu", "Đông Kết", "Đào Đặng", "Hồng Châu", "Hiến Nam",
    "Lam Sơn", "Lê Lợi", "Liên Phương", "Mậu Dương", "Nam Hòa", "Nhân Dục", "Phương Độ", "Quảng Châu",
    "Tân Hưng", "Thiện Phiến", "Trung Nghĩa", "Xích Đằng", "Yên Lịch", "Phú Cường", "Hoàng Hanh",
    "Tống Trân", "Mạn Xuyên", "Cao Đông", "Đức Nhuận", "Lực Điền", "Phù Oanh", "Kim Đằng",
)  # fmt: skip
SMALL_VILLAGE_NAMES = (
    "Đức Nhân",
    "Hợp Tiến",
    "Thái Hòa",
    "Lạc Thủy",
    "Đoàn Kết",
    "Văn Nhuế",
    "Đông Tảo",
    "Quang Trung",
)


@dataclasses.dataclass(frozen=True)
class Institution:
    """A grassroots committee (with its attached cells) or a grassroots cell, and who its members are."""

    code: str
    name: str
    kind: str
    cells: tuple[str, ...]
    occupation: tuple[str, ...]
    qualification: tuple[str, ...]
    weight: float  # members per cell, relative to a residential cell
    is_army: bool = False
    is_police: bool = False


LARGE_INSTITUTIONS = (
    Institution(
        "G01",
        "Đảng bộ Trường Trung học phổ thông Phố Hiến",
        UnitKind.GRASSROOTS_COMMITTEE,
        ("Chi bộ Tổ Khoa học tự nhiên", "Chi bộ Tổ Khoa học xã hội", "Chi bộ Hành chính – Văn phòng"),
        ("Giáo viên", "Giáo viên", "Giáo viên", "Nhân viên văn phòng", "Kế toán"),
        ("Đại học Sư phạm", "Đại học Sư phạm", "Thạc sĩ Giáo dục học", "Cao đẳng Sư phạm"),
        0.22,
    ),
    Institution(
        "G02",
        "Đảng bộ Trung tâm Y tế Phố Hiến",
        UnitKind.GRASSROOTS_COMMITTEE,
        ("Chi bộ Khám chữa bệnh", "Chi bộ Y tế dự phòng", "Chi bộ Trạm Y tế phường"),
        ("Bác sĩ", "Điều dưỡng", "Y sĩ", "Dược sĩ", "Hộ sinh"),
        ("Bác sĩ đa khoa", "Cao đẳng Điều dưỡng", "Trung cấp Y", "Đại học Dược", "Bác sĩ chuyên khoa I"),
        0.2,
    ),
    Institution(
        "G03",
        "Đảng bộ Công ty Cổ phần May Phố Hiến",
        UnitKind.GRASSROOTS_COMMITTEE,
        ("Chi bộ Phân xưởng may 1", "Chi bộ Phân xưởng may 2", "Chi bộ Khối văn phòng"),
        ("Công nhân", "Công nhân", "Công nhân", "Kỹ thuật viên", "Nhân viên văn phòng"),
        ("Trung cấp Dệt may", "Cao đẳng Công nghệ may", "Đại học Kinh tế", ""),
        0.25,
    ),
    Institution(
        "CS01",
        "Chi bộ Công an phường Phố Hiến",
        UnitKind.GRASSROOTS_CELL,
        (),
        ("Công an",),
        ("Đại học An ninh nhân dân", "Đại học Cảnh sát nhân dân", "Trung cấp Cảnh sát"),
        0.3,
        is_police=True,
    ),
    Institution(
        "CS02",
        "Chi bộ Quân sự phường Phố Hiến",
        UnitKind.GRASSROOTS_CELL,
        (),
        ("Quân nhân",),
        ("Trung cấp Quân sự", "Đại học Chính trị"),
        0.12,
        is_army=True,
    ),
)
SMALL_INSTITUTIONS = (
    Institution(
        "CS01",
        "Chi bộ Trường Tiểu học Đức Hợp",
        UnitKind.GRASSROOTS_CELL,
        (),
        ("Giáo viên", "Giáo viên", "Nhân viên văn phòng"),
        ("Đại học Sư phạm", "Cao đẳng Sư phạm"),
        0.25,
    ),
)


def institution_cell_count(institutions) -> int:
    return sum(len(institution.cells) or 1 for institution in institutions)


# Surnames weighted roughly as they are spread in the north; given names from Faker's list and ours.
SURNAMES = (
    ("Nguyễn", 36), ("Trần", 11), ("Lê", 8), ("Phạm", 8), ("Vũ", 6), ("Hoàng", 4), ("Đỗ", 4), ("Bùi", 4),
    ("Đặng", 3), ("Ngô", 2), ("Đào", 2), ("Dương", 2), ("Đinh", 2), ("Phan", 1), ("Trịnh", 1), ("Lưu", 1),
    ("Mai", 1), ("Tạ", 1), ("Lương", 1), ("Hà", 1), ("Cao", 1), ("Nghiêm", 1),
)  # fmt: skip
MALE_MIDDLE_NAMES = ("Văn", "Đức", "Hữu", "Quang", "Minh", "Xuân", "Thanh", "Ngọc", "Công", "Duy", "Mạnh", "Tiến")
FEMALE_MIDDLE_NAMES = ("Thị", "Thu", "Thanh", "Ngọc", "Minh", "Kim", "Thúy", "Phương", "Hồng", "Hải")
MALE_GIVEN_NAMES = (
    "Hùng", "Dũng", "Thắng", "Cường", "Hải", "Sơn", "Tuấn", "Long", "Bình", "Hòa", "Lợi", "Toàn", "Khánh",
    "Đạt", "Hiếu", "Kiên", "Tiến", "Thịnh", "Chiến", "Quý", "Nghĩa", "Hưởng", "Đông", "Thuận", "Tân", "Lực",
    "Việt", "Đức", "Thái", "Hậu", "Phong", "Cảnh", "Lộc", "Tài", "Hoan", "Khải", "Bắc", "Duy", "Luận", "Vinh",
)  # fmt: skip
FEMALE_GIVEN_NAMES = (
    "Hoa", "Huệ", "Nga", "Hằng", "Thủy", "Liên", "Loan", "Phượng", "Nhung", "Hiền", "Thơm", "Tuyết", "Oanh",
    "Dung", "Thu", "Trang", "Huyền", "Nhàn", "Lý", "Sen", "Bích", "Thoa", "Quyên", "Hạnh", "Lụa", "Tâm",
    "Gấm", "Lệ", "Hường", "Mến", "Nguyệt", "Thắm", "Xuyến", "Ngân", "Tình", "Vui", "Đào", "Yên", "Hậu", "Mơ",
)  # fmt: skip
# Hometowns outside the province, with the province code that opens their citizen ID.
OTHER_HOMETOWNS = (
    ("Thành phố Hà Nội", "001"),
    ("Tỉnh Hải Dương", "030"),
    ("Tỉnh Thái Bình", "034"),
    ("Tỉnh Hà Nam", "035"),
    ("Tỉnh Nam Định", "036"),
    ("Tỉnh Thanh Hóa", "038"),
    ("Tỉnh Nghệ An", "040"),
    ("Tỉnh Bắc Ninh", "027"),
)
# Where members who work in the ward but live outside it live (today's provinces).
NEARBY_PROVINCES = ("thành phố Hà Nội", "thành phố Hải Phòng", "tỉnh Bắc Ninh", "tỉnh Ninh Bình")
PHONE_PREFIXES = ("098", "097", "096", "091", "094", "088", "086", "083", "085", "032", "033", "035", "036", "039")
LEAVING = (
    (LeavingForm.STRUCK_OFF, "Bỏ sinh hoạt chi bộ 3 tháng trong năm không có lý do chính đáng"),
    (LeavingForm.STRUCK_OFF, "Không đóng đảng phí 3 tháng trong năm không có lý do chính đáng"),
    (LeavingForm.RESIGNED, "Xin ra khỏi Đảng vì hoàn cảnh gia đình"),
    (LeavingForm.EXPELLED, "Vi phạm kỷ luật đến mức phải khai trừ"),
)
TRANSFERRED_FROM = (
    "Đảng bộ xã Vũ Tiến, tỉnh Thái Bình",
    "Đảng bộ phường Cầu Giấy, thành phố Hà Nội",
    "Đảng bộ Công ty Điện lực Hải Dương",
    "Đảng bộ xã Kim Sơn, tỉnh Ninh Bình",
    "Đảng bộ Quân sự tỉnh Hưng Yên",
)


@dataclasses.dataclass
class CellPlan:
    """A cell to fill: where it is, who lives around it and what its members do."""

    unit: Unit
    size: int
    village: AdminArea | None
    commune_area: AdminArea
    commune_villages: list[AdminArea]
    institution: Institution | None = None


@dataclasses.dataclass
class DemoSummary:
    units: int
    areas: int
    members: int
    users: int
    members_by_commune: dict[str, int]


class DemoDataExists(Exception):
    """The database already has units: the demo data goes only into an empty database."""


def demo_is_loaded() -> bool:
    return Unit.objects.exists()


def load_demo(
    *,
    members: int = DEFAULT_MEMBERS,
    cells: int = DEFAULT_CELLS,
    small_members: int = DEFAULT_SMALL_MEMBERS,
    small_cells: int = DEFAULT_SMALL_CELLS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Build the demo province in one transaction. `members`/`cells` size the large ward, `small_*` the commune.

    Raises DemoDataExists if any unit exists already.
    """
    minimum_cells = institution_cell_count(LARGE_INSTITUTIONS) + 1
    if cells < minimum_cells:
        raise ValueError(f"The large ward needs at least {minimum_cells} cells.")
    if small_cells < institution_cell_count(SMALL_INSTITUTIONS) + 1:
        raise ValueError("The small commune needs at least one village cell.")
    with change_context(source=ChangeSource.COMMAND), transaction.atomic():
        if demo_is_loaded():
            raise DemoDataExists
        summary = _DemoBuilder(seed=seed, total_members=members + small_members, progress=progress).build(
            members=members, cells=cells, small_members=small_members, small_cells=small_cells
        )
    # The data-quality pages read the newest pass of the checks: the demo opens with one.
    checks.quality_refresh()
    return summary


class _DemoBuilder:
    def __init__(self, *, seed: int, total_members: int, progress):
        self.rng = random.Random(seed)
        self.fake = Faker("vi_VN")
        self.fake.seed_instance(seed)
        self.today = today()
        self.progress = progress
        # Unique identifiers drawn once, so no two members share a card, a citizen ID or a file number.
        self.card_numbers = iter(self.rng.sample(range(10_000_000, 100_000_000), total_members))
        self.citizen_serials = iter(self.rng.sample(range(1_000_000), total_members))
        self.file_serials = iter(self.rng.sample(range(1, 1_000_000), total_members))
        self.phones: set[str] = set()
        self.unit_count = 0
        self.area_count = 0
        # The province and its two communes are real: they carry the official list's names and codes.
        self.official_codes = {
            division.name: division.official_code for division in official_divisions(province=PROVINCE_OFFICIAL_CODE)
        }

    # -- the two trees ---------------------------------------------------------------------------

    def _area(self, *, parent, code, name, kind) -> AdminArea:
        self.area_count += 1
        return area_create(
            actor=None,
            parent=parent,
            code=code,
            name=name,
            kind=kind,
            official_code=self.official_codes.get(name),
            reason=DEMO_REASON,
        )

    def _unit(self, *, parent, code, name, kind, area=None, opened_on=REORGANISED_ON) -> Unit:
        self.unit_count += 1
        return unit_create(
            actor=None,
            parent=parent,
            code=code,
            name=name,
            kind=kind,
            area=area,
            opened_on=opened_on,
            reason=DEMO_REASON,
        )

    def _commune(
        self,
        *,
        province: Unit,
        province_area: AdminArea,
        code: str,
        kind_word: str,
        name: str,
        villages: tuple[str, ...],
        residential_groups: int,
        institutions: tuple[Institution, ...],
        members: int,
    ) -> list[CellPlan]:
        """The commune's area, villages and residential groups, its committee, cells and institutions."""
        commune_area = self._area(
            parent=province_area, code=f"AR-{code}", name=f"{kind_word.capitalize()} {name}", kind=AreaKind.COMMUNE
        )
        committee = self._unit(
            parent=province,
            code=code,
            name=f"Đảng bộ {kind_word} {name}",
            kind=UnitKind.COMMUNE_COMMITTEE,
            area=commune_area,
        )
        # Residential groups first (the ward's old town), then the villages of the communes merged into it.
        places = [
            (f"Tổ dân phố số {number}", AreaKind.RESIDENTIAL_GROUP) for number in range(1, residential_groups + 1)
        ]
        places += [(f"Thôn {village}", AreaKind.VILLAGE) for village in villages]
        residential: list[tuple[Unit, AdminArea]] = []
        for number, (place, area_kind) in enumerate(places, start=1):
            village = self._area(parent=commune_area, code=f"AR-{code}-{number:03d}", name=place, kind=area_kind)
            prefix = "Chi bộ " + (place if area_kind == AreaKind.RESIDENTIAL_GROUP else place.lower())
            cell = self._unit(
                parent=committee, code=f"{code}-C{number:03d}", name=prefix, kind=UnitKind.ATTACHED_CELL, area=village
            )
            residential.append((cell, village))
        commune_villages = [village for _, village in residential]

        institution_cells: list[tuple[Unit, Institution]] = []
        for institution in institutions:
            top = self._unit(
                parent=committee, code=f"{code}-{institution.code}", name=institution.name, kind=institution.kind
            )
            if not institution.cells:
                institution_cells.append((top, institution))
            for number, cell_name in enumerate(institution.cells, start=1):
                cell = self._unit(
                    parent=top,
                    code=f"{code}-{institution.code}-C{number:02d}",
                    name=cell_name,
                    kind=UnitKind.ATTACHED_CELL,
                )
                institution_cells.append((cell, institution))

        weights = [self.rng.uniform(0.7, 1.3) for _ in residential]
        weights += [institution.weight * self.rng.uniform(0.8, 1.2) for _, institution in institution_cells]
        if members < len(weights):
            raise ValueError(f"{members} members cannot fill {len(weights)} cells.")
        sizes = weighted_spread(members, weights, minimum=5 if len(weights) * 5 <= members else 1)
        plans = [
            CellPlan(
                unit=cell, size=size, village=village, commune_area=commune_area, commune_villages=commune_villages
            )
            for (cell, village), size in zip(residential, sizes, strict=False)
        ]
        plans += [
            CellPlan(
                unit=cell,
                size=size,
                village=None,
                commune_area=commune_area,
                commune_villages=commune_villages,
                institution=institution,
            )
            for (cell, institution), size in zip(institution_cells, sizes[len(residential) :], strict=True)
        ]
        return plans

    def build(self, *, members: int, cells: int, small_members: int, small_cells: int) -> DemoSummary:
        central = self._unit(
            parent=None, code="TW", name="Trung ương", kind=UnitKind.CENTRAL, opened_on=datetime.date(1930, 2, 3)
        )
        province_area = self._area(
            parent=None, code=f"AR-{PROVINCE_CODE}", name=f"Tỉnh {PROVINCE_NAME}", kind=AreaKind.PROVINCE
        )
        province = self._unit(
            parent=central,
            code=PROVINCE_CODE,
            name=f"Đảng bộ tỉnh {PROVINCE_NAME}",
            kind=UnitKind.PROVINCE_COMMITTEE,
            area=province_area,
        )
        large_residential = cells - institution_cell_count(LARGE_INSTITUTIONS)
        large_villages = VILLAGE_NAMES[: min(len(VILLAGE_NAMES), large_residential // 3)]
        plans = self._commune(
            province=province,
            province_area=province_area,
            code=LARGE_CODE,
            kind_word="phường",
            name="Phố Hiến",
            villages=large_villages,
            residential_groups=large_residential - len(large_villages),
            institutions=LARGE_INSTITUTIONS,
            members=members,
        )
        small_residential = small_cells - institution_cell_count(SMALL_INSTITUTIONS)
        plans += self._commune(
            province=province,
            province_area=province_area,
            code=SMALL_CODE,
            kind_word="xã",
            name="Đức Hợp",
            villages=tuple(_village_names(SMALL_VILLAGE_NAMES, small_residential)),
            residential_groups=0,
            institutions=SMALL_INSTITUTIONS,
            members=small_members,
        )

        rosters: dict[str, list[Member]] = {}
        for done, plan in enumerate(plans, start=1):
            rows = [self._member_row(plan, index) for index in range(plan.size)]
            rosters[plan.unit.code] = members_bulk_create(actor=None, rows=rows, reason=DEMO_REASON)
            if self.progress:
                self.progress(done, len(plans))

        units = {unit.code: unit for unit in Unit.objects.filter(code__in={login.unit_code for login in DEMO_LOGINS})}
        users = {}
        for login in DEMO_LOGINS:
            member = rosters[login.unit_code][login.member_index] if login.member_index is not None else None
            last_name, first_name = _split_name(member.full_name) if member else (login.last_name, login.first_name)
            users[login.username] = user_create(
                actor=None,
                username=login.username,
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                member=member,
                reason=DEMO_REASON,
            )
            role_grant(
                actor=None, user=users[login.username], unit=units[login.unit_code], role=login.role, reason=DEMO_REASON
            )
        story.tell(
            builder=self,
            plans=plans,
            rosters=rosters,
            users=users,
            units=units,
            province_code=PROVINCE_CODE,
            large_code=LARGE_CODE,
            small_code=SMALL_CODE,
            cell_code=DEMO_CELL_CODE,
        )

        return DemoSummary(
            units=self.unit_count,
            areas=self.area_count,
            members=members + small_members,
            users=len(DEMO_LOGINS),
            members_by_commune={LARGE_CODE: members, SMALL_CODE: small_members},
        )

    # -- members ---------------------------------------------------------------------------------

    def _member_row(self, plan: CellPlan, index: int) -> dict:
        rng = self.rng
        institution = plan.institution
        is_demo_login = plan.unit.code == DEMO_CELL_CODE and index in (SECRETARY_INDEX, DEMO_MEMBER_INDEX)
        is_probationary = not is_demo_login and rng.random() < 0.03

        # Residential cells are old (members are mostly retired); institutions are of working age.
        if is_probationary:
            birth_year = rng.randint(1986, self.today.year - 20)
        elif institution:
            birth_year = rng.randint(1966, self.today.year - 22)
        elif is_demo_login:
            birth_year = rng.randint(1958, 1975) if index == SECRETARY_INDEX else rng.randint(1978, 1990)
        else:
            birth_year = weighted(
                rng,
                ((1934, 1944, 11), (1945, 1954, 24), (1955, 1964, 28), (1965, 1974, 15), (1975, 1984, 11),
                 (1985, 1994, 8), (1995, self.today.year - 21, 3)),
            )  # fmt: skip
            birth_year = rng.randint(birth_year[0], birth_year[1])
        date_of_birth = datetime.date(birth_year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        age = _age(date_of_birth, self.today)
        female_share = 0.1 if institution and (institution.is_army or institution.is_police) else 0.4
        sex = Sex.FEMALE if rng.random() < female_share else Sex.MALE
        full_name = self._full_name(sex=sex, birth_year=birth_year)

        # Joining: at 18–45, mostly in their twenties; made official twelve months later.
        if is_probationary:
            joined_on = self.today - datetime.timedelta(days=rng.randint(20, 350))
            official_on = None
        else:
            low, high = weighted(rng, ((18, 24, 45), (25, 32, 38), (33, 45, 17)))
            latest = max(18, age - 2)
            joining_age = rng.randint(min(low, latest), min(high, latest))
            joined_on = add_years(date_of_birth, joining_age) + datetime.timedelta(days=rng.randrange(300))
            joined_on = min(joined_on, self.today - datetime.timedelta(days=420))
            official_on = add_years(joined_on, 1) + datetime.timedelta(days=rng.randint(0, 40))

        hometown_province, citizen_province = (f"tỉnh {PROVINCE_NAME}", PROVINCE_CITIZEN_ID_CODE)
        if rng.random() < 0.15:
            hometown_province, citizen_province = rng.choice(OTHER_HOMETOWNS)
        residence = plan.village
        if institution or rng.random() < 0.08:
            residence = rng.choice(plan.commune_villages)
        if institution and rng.random() < 0.35:
            residence = None  # lives outside the commune and works here
        commune_name = lower_first(plan.commune_area.name)
        if residence:
            current_residence = f"{residence.name}, {commune_name}, tỉnh {PROVINCE_NAME}"
        else:
            current_residence = f"{self.fake.street_address()}, {rng.choice(NEARBY_PROVINCES)}"
        hometown = (
            f"{commune_name}, {hometown_province}"
            if citizen_province == PROVINCE_CITIZEN_ID_CODE
            else hometown_province
        )

        row = {
            "unit": plan.unit,
            "residence_area": residence,
            "full_name": full_name,
            "sex": sex,
            "date_of_birth": date_of_birth,
            "ethnicity": weighted(rng, (("Kinh", 985), ("Tày", 5), ("Mường", 5), ("Hoa", 5))),
            "religion": weighted(rng, (("Không", 90), ("Phật giáo", 7), ("Công giáo", 3))),
            "hometown": hometown,
            "current_residence": current_residence,
            "citizen_id": self._citizen_id(sex, date_of_birth, citizen_province)
            if is_demo_login or rng.random() < 0.95
            else None,
            "phone": self._phone() if is_demo_login or rng.random() < _phone_share(age) else "",
            "card_number": f"{next(self.card_numbers)}" if is_demo_login or rng.random() < 0.97 else None,
            "background_file_number": f"{next(self.file_serials):06d}{PROVINCE_CODE}",
            "education": _education(rng, birth_year),
            "joined_on": joined_on,
            "official_on": official_on,
            "standing": Standing.PROBATIONARY if official_on is None else Standing.OFFICIAL,
            "is_army": bool(institution and institution.is_army),
            "is_police": bool(institution and institution.is_police),
        }
        row |= self._work(plan, age=age, sex=sex, birth_year=birth_year)
        if index == SECRETARY_INDEX:
            row["position"] = "Bí thư chi bộ"
            row["political_theory"] = PoliticalTheory.INTERMEDIATE
        elif index == 1 and plan.size >= 15:
            row["position"] = "Phó Bí thư chi bộ"
        elif index in (2, 3) and plan.size >= 30:
            row["position"] = "Chi ủy viên"
        if official_on and official_on < self.today - datetime.timedelta(days=400) and rng.random() < 0.04:
            row["transferred_in_on"] = min(
                official_on + datetime.timedelta(days=rng.randint(200, 9000)), self.today - datetime.timedelta(days=30)
            )
            row["transferred_in_from"] = rng.choice(TRANSFERRED_FROM)
        if not is_demo_login:
            row |= self._status(age=age, date_of_birth=date_of_birth, joined_on=joined_on, official_on=official_on)
        return row

    def _status(self, *, age: int, date_of_birth, joined_on, official_on) -> dict:
        """Exempt (old age), left, deceased, away; and whether the member can be expected to use the app."""
        rng = self.rng
        draw = rng.random()
        if age >= 78 and draw < 0.05:
            died_on = self.today - datetime.timedelta(days=rng.randint(15, 5 * 365))
            return {"status": MemberStatus.DECEASED, "died_on": died_on, "status_since": died_on}
        if official_on and age >= 30 and draw > 0.99:
            form, reason = rng.choice(LEAVING)
            earliest = max(official_on, self.today - datetime.timedelta(days=15 * 365))
            left_on = earliest + datetime.timedelta(days=rng.randint(30, max(31, (self.today - earliest).days - 1)))
            left_on = min(left_on, self.today - datetime.timedelta(days=1))
            return {
                "status": MemberStatus.LEFT,
                "left_on": left_on,
                "leaving_form": form,
                "leaving_reason": reason,
                "status_since": left_on,
            }
        exempt_share = 0.5 if age >= 82 else 0.22 if age >= 76 else 0.004
        if official_on and rng.random() < exempt_share:
            since = max(add_years(date_of_birth, 75), official_on, self.today - datetime.timedelta(days=8 * 365))
            since = min(since + datetime.timedelta(days=rng.randrange(365)), self.today - datetime.timedelta(days=10))
            return {
                "status": MemberStatus.EXEMPT,
                "status_since": since,
                "is_eligible": False,
                "ineligibility_reason": IneligibilityReason.EXEMPT,
                "notes": "Miễn công tác và sinh hoạt đảng do tuổi cao, sức yếu.",
            }
        if official_on and age <= 45 and rng.random() < 0.006:
            return {
                "status": MemberStatus.TEMPORARILY_EXEMPT,
                "status_since": self.today - datetime.timedelta(days=rng.randint(30, 300)),
                "is_eligible": False,
                "ineligibility_reason": IneligibilityReason.ABROAD,
                "notes": "Đi lao động có thời hạn ở nước ngoài.",
            }
        no_smartphone_share = 0.16 if age >= 75 else 0.07 if age >= 60 else 0.01
        if rng.random() < no_smartphone_share:
            return {"is_eligible": False, "ineligibility_reason": IneligibilityReason.NO_SMARTPHONE}
        if rng.random() < (0.02 if age >= 65 else 0.003):
            return {"is_eligible": False, "ineligibility_reason": IneligibilityReason.ILLNESS}
        return {}

    def _work(self, plan: CellPlan, *, age: int, sex: str, birth_year: int) -> dict:
        rng = self.rng
        institution = plan.institution
        retirement_age = 61 if sex == Sex.MALE else 57
        if institution:
            occupation = rng.choice(institution.occupation)
            work = {
                "occupation": occupation,
                "occupation_before_joining": rng.choice((occupation, "Học sinh, sinh viên", occupation)),
                "professional_qualification": rng.choice(institution.qualification),
                "political_theory": weighted(
                    rng, ((PoliticalTheory.ELEMENTARY, 55), (PoliticalTheory.INTERMEDIATE, 35), ("", 10))
                ),
            }
        elif age >= retirement_age:
            retired = rng.random() < 0.75
            work = {
                "occupation": "Hưu trí"
                if retired
                else rng.choice(("Nông dân", "Nông dân", "Kinh doanh", "Lao động tự do")),
                "is_retired": retired,
                "occupation_before_joining": weighted(
                    rng,
                    (
                        ("Quân nhân", 35 if sex == Sex.MALE and birth_year < 1960 else 5),
                        ("Nông dân", 30),
                        ("Công nhân", 12),
                        ("Giáo viên", 10),
                        ("Cán bộ", 10),
                        ("Học sinh", 5),
                    ),
                ),  # fmt: skip
                "professional_qualification": weighted(
                    rng, (("", 40), ("Sơ cấp", 10), ("Trung cấp", 25), ("Cao đẳng", 5), ("Đại học", 20))
                ),
                "political_theory": weighted(
                    rng,
                    (
                        (PoliticalTheory.ELEMENTARY, 55),
                        (PoliticalTheory.INTERMEDIATE, 20),
                        (PoliticalTheory.ADVANCED, 3),
                        ("", 22),
                    ),
                ),  # fmt: skip
            }
        else:
            occupation = weighted(
                rng,
                (("Nông dân", 15), ("Kinh doanh", 20), ("Công nhân", 15), ("Giáo viên", 10), ("Cán bộ", 12),
                 ("Viên chức", 8), ("Lao động tự do", 12), ("Kỹ sư", 5), ("Sinh viên", 3 if age < 25 else 0)),
            )  # fmt: skip
            work = {
                "occupation": occupation,
                "occupation_before_joining": rng.choice(("Học sinh, sinh viên", occupation, "Quân nhân", occupation)),
                "professional_qualification": weighted(
                    rng, (("", 20), ("Trung cấp", 15), ("Cao đẳng", 15), ("Đại học", 45), ("Thạc sĩ", 5))
                ),
                "political_theory": weighted(
                    rng, ((PoliticalTheory.ELEMENTARY, 60), (PoliticalTheory.INTERMEDIATE, 15), ("", 25))
                ),
            }
            if occupation == "Cán bộ":
                work["position"] = rng.choice(
                    ("Trưởng thôn", "Chủ tịch Hội Nông dân", "Bí thư Chi đoàn", "Công chức Ủy ban nhân dân")
                )
        if age < 45 and rng.random() < 0.45:
            work["foreign_language"] = rng.choice(("Tiếng Anh B1", "Tiếng Anh trình độ B", "Tiếng Anh A2"))
        elif age >= 60 and rng.random() < 0.05:
            work["foreign_language"] = "Tiếng Nga trình độ B"
        return work

    def _full_name(self, *, sex: str, birth_year: int) -> str:
        rng = self.rng
        surname = weighted(rng, SURNAMES)
        old = birth_year < 1975
        if sex == Sex.MALE:
            middle = "Văn" if old and rng.random() < 0.55 else rng.choice(MALE_MIDDLE_NAMES)
            given = self.fake.first_name_male() if rng.random() < 0.25 else rng.choice(MALE_GIVEN_NAMES)
        else:
            middle = "Thị" if old and rng.random() < 0.75 else rng.choice(FEMALE_MIDDLE_NAMES)
            given = self.fake.first_name_female() if rng.random() < 0.25 else rng.choice(FEMALE_GIVEN_NAMES)
        if given == middle:
            given = rng.choice(MALE_GIVEN_NAMES if sex == Sex.MALE else FEMALE_GIVEN_NAMES)
        return f"{surname} {middle} {given}"

    def _citizen_id(self, sex: str, date_of_birth: datetime.date, province: str) -> str:
        century_digit = 2 * ((date_of_birth.year - 1900) // 100) + (0 if sex == Sex.MALE else 1)
        return f"{province}{century_digit}{date_of_birth.year % 100:02d}{next(self.citizen_serials):06d}"

    def _phone(self) -> str:
        while True:
            phone = f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randrange(10_000_000):07d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone


def _village_names(names: tuple[str, ...], count: int) -> list[str]:
    return [names[i] if i < len(names) else f"{names[i % len(names)]} {i // len(names) + 1}" for i in range(count)]


def _age(date_of_birth: datetime.date, on: datetime.date) -> int:
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def _phone_share(age: int) -> float:
    return 0.96 if age < 70 else 0.82 if age < 80 else 0.55


def _education(rng: random.Random, birth_year: int) -> str:
    # The north ran a 10-year school system until the 1980s.
    if birth_year < 1958:
        return weighted(rng, (("10/10", 70), ("7/10", 25), ("4/10", 5)))
    if birth_year < 1975:
        return weighted(rng, (("10/10", 45), ("12/12", 50), ("9/12", 5)))
    return weighted(rng, (("12/12", 95), ("9/12", 5)))


def _split_name(full_name: str) -> tuple[str, str]:
    """ "Nguyễn Thị Hồng" → ("Nguyễn Thị", "Hồng"): family and middle names, then the given name."""
    family, _, given = full_name.rpartition(" ")
    return family, given


def demo_member_user() -> User | None:
    return User.objects.select_related("member", "member__unit").filter(username="dangvien").first()
