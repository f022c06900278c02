"""The wrong terms issue 21 found, one test each: read in Vietnamese as a member or an officer would."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from corrections.display import label_of
from questions.choices import QuestionState
from reports.choices import EventKind, FieldKind
from reports.fields import field_label
from reports.forms import manual_fields_text, parse_manual_fields
from reports.tests.factories import make_template


def in_vietnamese(text) -> str:
    with translation.override("vi"):
        return str(text)


def test_a_closed_question_is_not_called_a_dissolution():
    assert in_vietnamese(QuestionState.CLOSED.label) == "Đã đóng"


def test_a_report_not_filed_yet_is_not_called_a_meeting_to_attend():
    assert in_vietnamese(EventKind.CREATED.label) == "Chờ nộp"


def test_field_labels_keep_their_capitals():
    with translation.override("vi"):
        assert label_of("citizen_id") == "Số CCCD"
        assert label_of("joined_on") == "Ngày vào Đảng"


def test_hand_filled_report_fields_are_typed_with_vietnamese_keywords():
    fields = parse_manual_fields("số: Số hộ\nlựa chọn: Đánh giá = Tốt; Khá\nchữ: Khó khăn")

    assert [field["kind"] for field in fields] == [FieldKind.NUMBER, FieldKind.CHOICE, FieldKind.TEXT]
    assert fields[1]["options"] == ["Tốt", "Khá"]


def test_the_english_keywords_still_read_so_older_templates_revise():
    assert [field["kind"] for field in parse_manual_fields("number: A\nchoice: B = x; y")] == ["number", "choice"]


def test_a_template_being_revised_shows_its_fields_with_the_vietnamese_keywords():
    fields = parse_manual_fields("number: Số hộ\nchoice: Đánh giá = Tốt; Khá")

    with translation.override("vi"):
        text = manual_fields_text(fields)

    assert text == "số: Số hộ\nlựa chọn: Đánh giá = Tốt; Khá"


def test_the_template_page_shows_no_internal_field_code(tree):
    fields = [{"key": "members", "kind": "indicator"}, *parse_manual_fields("number: Số hộ\ntext: Khó khăn")]
    template = make_template(unit=tree.commune_a, fields=fields)
    client = Client()
    client.force_login(tree.users["officer_a"])

    page = client.get(reverse("reports:template", args=[template.pk])).text

    assert "field_" not in page
    assert in_vietnamese(FieldKind.NUMBER.label) in page


def test_a_field_saved_without_a_name_is_called_by_its_number_not_its_code():
    with translation.override("vi"):
        label = field_label({"key": "field_3", "kind": "text", "label": ""})

    assert label == "Chỉ tiêu 3"


def test_password_rules_are_explained_in_vietnamese_addressing_the_member_as_dong_chi():
    with translation.override("vi"):
        try:
            validate_password("1234567")
        except ValidationError as error:
            messages = error.messages

    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in messages
    assert "Mật khẩu không được chỉ gồm chữ số." in messages
    assert not any("bạn" in message or "password" in message for message in messages)
