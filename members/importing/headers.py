"""Which column holds which field: the usual Vietnamese headers, the registry export's own headers
(in Vietnamese and English), and what an official mapped by hand before (`ImportMapping`)."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.text import fold_for_search

from ..fields import IMPORTABLE_FIELDS
from ..models import ImportMapping, Member

# Columns that place the member rather than describe them.
UNIT_CODE = "unit_code"
UNIT_NAME = "unit_name"
RESIDENCE_AREA_CODE = "residence_area_code"

PLACEMENT_COLUMNS = {
    UNIT_CODE: _("Cell code"),
    UNIT_NAME: _("Cell name"),
    RESIDENCE_AREA_CODE: _("Residence area code"),
}
# Headers recognised whatever the file's language (folded: lower case, no diacritics).
_ALIASES = {
    "full_name": ["ho va ten", "ho ten", "ho va ten dang dung", "ho ten dang dung", "ten dang vien", "full name"],
    "birth_name": ["ho ten khai sinh", "ho va ten khai sinh", "birth name"],
    "sex": ["gioi tinh", "nam/nu", "nam nu", "sex", "gender"],
    "date_of_birth": ["ngay sinh", "ngay thang nam sinh", "sinh ngay", "nam sinh", "date of birth", "birth date"],
    "ethnicity": ["dan toc", "ethnicity"],
    "religion": ["ton giao", "religion"],
    "hometown": ["que quan", "nguyen quan", "hometown"],
    "current_residence": ["noi o hien nay", "noi o", "dia chi", "noi thuong tru", "current residence", "address"],
    "citizen_id": [
        "so cccd",
        "cccd",
        "so can cuoc cong dan",
        "can cuoc cong dan",
        "so dinh danh ca nhan",
        "so dinh danh",
        "cmnd/cccd",
        "so cmnd/cccd",
        "citizen id",
    ],
    "phone": ["so dien thoai", "dien thoai", "sdt", "so dt", "phone"],
    "email": ["email", "thu dien tu"],
    "education": ["trinh do hoc van", "hoc van", "giao duc pho thong", "trinh do giao duc pho thong", "education"],
    "political_theory": ["ly luan chinh tri", "trinh do ly luan chinh tri", "llct", "political theory"],
    "professional_qualification": ["chuyen mon", "trinh do chuyen mon", "chuyen mon nghiep vu"],
    "foreign_language": ["ngoai ngu", "trinh do ngoai ngu", "foreign language"],
    "occupation_before_joining": ["nghe nghiep truoc khi vao dang", "nghe nghiep khi vao dang"],
    "occupation": ["nghe nghiep", "nghe nghiep hien nay", "occupation"],
    "position": ["chuc vu", "chuc vu hien nay", "position"],
    "is_army": ["quan doi", "army"],
    "is_police": ["cong an", "police"],
    "is_retired": ["nghi huu", "huu tri", "retired"],
    "joined_on": ["ngay vao dang", "ngay ket nap", "ngay ket nap dang", "date of joining", "joined on"],
    "official_on": ["ngay chinh thuc", "ngay vao dang chinh thuc", "ngay cong nhan chinh thuc", "date made official"],
    "card_number": ["so the dang vien", "so the dang", "so the", "the dang vien", "party card number", "card number"],
    "background_file_number": ["so ly lich", "so ly lich dang vien", "background-file number"],
    "standing": ["dang vien du bi/chinh thuc", "loai dang vien", "standing"],
    "status": ["tinh trang", "trang thai", "status"],
    "status_since": ["tu ngay", "status since"],
    "transferred_in_on": ["ngay chuyen den", "transferred in on"],
    "transferred_in_from": ["chuyen den tu", "noi chuyen den", "transferred in from"],
    "transferred_out_on": ["ngay chuyen di", "transferred out on"],
    "transferred_out_to": ["chuyen di den", "noi chuyen di", "transferred out to"],
    "left_on": ["ngay ra khoi dang", "ngay ra dang", "date of leaving"],
    "leaving_form": ["hinh thuc ra khoi dang", "form of leaving"],
    "leaving_reason": ["ly do ra khoi dang", "reason for leaving"],
    "died_on": ["ngay tu tran", "ngay mat", "date of death"],
    "is_eligible": ["du dieu kien cai dat", "eligible for the app"],
    "ineligibility_reason": ["ly do khong du dieu kien", "reason not eligible"],
    "notes": ["ghi chu", "notes", "note"],
    UNIT_CODE: ["ma chi bo", "ma to chuc dang", "ma don vi", "cell code", "unit code"],
    UNIT_NAME: ["chi bo", "ten chi bo", "chi bo sinh hoat", "noi sinh hoat dang", "cell", "unit"],
    RESIDENCE_AREA_CODE: ["ma thon/to dan pho", "ma khu dan cu", "residence area code"],
}
# Headers that name no field (row numbers, the registry's record id): never mapped, never an error.
IGNORED = {"stt", "so tt", "tt", "no.", "no", "record id", "ma ho so"}


def field_label(field: str) -> str:
    if field in PLACEMENT_COLUMNS:
        return str(PLACEMENT_COLUMNS[field])
    return str(Member._meta.get_field(field).verbose_name)


def field_choices() -> list[tuple[str, str]]:
    """Every field a column may be mapped to, labelled in the current language."""
    fields = [*PLACEMENT_COLUMNS, *IMPORTABLE_FIELDS]
    return [(field, capfirst(field_label(field))) for field in fields]


def _build_known_headers() -> dict[str, str]:
    known: dict[str, str] = {}
    # The registry export's headers are the fields' verbose names, in whichever language it was made.
    for language in ("en", "vi"):
        with translation.override(language):
            for field in [*IMPORTABLE_FIELDS, *PLACEMENT_COLUMNS]:
                known.setdefault(fold_for_search(field_label(field)), field)
    for field, aliases in _ALIASES.items():
        for alias in aliases:
            known[fold_for_search(alias)] = field
    return known


_KNOWN: dict[str, str] | None = None


def known_headers() -> dict[str, str]:
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = _build_known_headers()
    return _KNOWN


def fold_header(header: str) -> str:
    return fold_for_search(header.replace("\n", " ")).strip(" :*")


def remembered_mappings(user) -> dict[str, str]:
    if user is None:
        return {}
    return dict(ImportMapping.objects.filter(user=user).values_list("header", "field"))


def recognise(headers: list[str], *, remembered: dict[str, str] | None = None) -> dict[str, str]:
    """{"<column index>": field} for the headers we know; a field is taken by its first column only."""
    remembered = remembered or {}
    known = known_headers()
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        folded = fold_header(header)
        if not folded or folded in IGNORED and folded not in remembered:
            continue
        field = remembered.get(folded) or known.get(folded)
        if field and field not in taken:
            mapping[str(index)] = field
            taken.add(field)
    return mapping


def header_scorer(remembered: dict[str, str] | None = None):
    def score(headers: list[str]) -> int:
        return len(recognise(headers, remembered=remembered))

    return score


@transaction.atomic
def remember_mapping(*, user, headers: list[str], mapping: dict[str, str]) -> None:
    """Remember, for `user`, each header mapped to something other than what we would have guessed."""
    known = known_headers()
    now = timezone.now()
    for index, field in mapping.items():
        folded = fold_header(headers[int(index)]) if int(index) < len(headers) else ""
        if not folded or known.get(folded) == field:
            continue
        ImportMapping.objects.update_or_create(user=user, header=folded, defaults={"field": field, "updated_at": now})
