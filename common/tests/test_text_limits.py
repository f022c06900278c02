"""Every free text a user writes has a maximum length, refused in the API (422) and in the pages (a form error),
and never stored. Each app's operation is the permission matrix's own (a valid request by a role on the province),
with one text made too long."""

import pytest
from django.core.exceptions import ValidationError

from common.fields import LONG_TEXT_MAX_LENGTH
from common.tests.api import api_client
from common.tests.clients import english_client
from questions.models import Question
from questions.services import question_ask

from .matrix import context_for
from .test_permission_matrix import ENDPOINTS, ancestor_user, call, client_for, database_fingerprint

MATRIX = {endpoint.name: endpoint for endpoint in ENDPOINTS}
TWO_MILLION = "x" * 2_000_000

# (operation, field, length over the limit): at least one per app that takes free text.
TOO_LONG = [
    ("post /api/notices", "body", LONG_TEXT_MAX_LENGTH + 1),
    ("notices:create", "body", LONG_TEXT_MAX_LENGTH + 1),
    ("post /api/corrections/requests", "reason", LONG_TEXT_MAX_LENGTH + 1),
    ("post /api/meetings/{meeting_id}/cancel", "reason", LONG_TEXT_MAX_LENGTH + 1),
    ("meetings:minutes", "minutes", LONG_TEXT_MAX_LENGTH + 1),
    # The answer's own cap (8,000) is under the API's for any text: the model's rule refuses it.
    ("post /api/questions/{question_id}/answer", "answer", 8_001),
    ("questions:answer", "answer", 8_001),
    ("post /api/reports/submissions/{submission_id}/return", "reason", LONG_TEXT_MAX_LENGTH + 1),
    ("reports:template_revise", "body", LONG_TEXT_MAX_LENGTH + 1),
    ("library:publish", "summary", LONG_TEXT_MAX_LENGTH + 1),
    ("patch /api/members/{member_id}", "full_name", LONG_TEXT_MAX_LENGTH + 1),
    ("patch /api/units/{code}", "name", LONG_TEXT_MAX_LENGTH + 1),
]


@pytest.mark.parametrize(("name", "field", "length"), TOO_LONG)
def test_a_text_over_its_limit_is_refused_and_nothing_is_stored(tree, name, field, length):
    endpoint = MATRIX[name]
    ctx = context_for(endpoint, tree)
    client = client_for(endpoint, ancestor_user(tree, endpoint))
    valid = endpoint.data
    endpoint_with_long_text = type(endpoint)(**{**vars(endpoint), "data": lambda c: {**valid(c), field: "x" * length}})
    before = database_fingerprint()

    response = call(endpoint_with_long_text, client, ctx)

    if endpoint.is_api:
        assert response.status_code == 422, response.content[:300]
        assert field in response.json()["errors"]
    else:
        assert response.status_code == 200, "the form is shown again, not saved and redirected"
        assert response.context["form"].errors[field]
    assert database_fingerprint() == before


def test_a_question_of_two_million_characters_is_refused_by_the_api(tree):
    response = api_client(tree.users["member_a1"]).post(
        "/api/questions", {"text": TWO_MILLION}, content_type="application/json"
    )

    assert response.status_code == 422
    assert "text" in response.json()["errors"]
    assert not Question.objects.exists()


def test_a_question_of_two_million_characters_is_a_form_error_on_the_page(tree):
    client = english_client()
    client.force_login(tree.users["member_a1"])

    response = client.post("/questions/ask/", {"addressee": "cell", "text": TWO_MILLION})

    assert response.status_code == 200
    assert "at most 4000 characters" in response.context["form"].errors["text"][0]
    assert not Question.objects.exists()


def test_the_question_service_itself_refuses_a_text_over_the_models_limit(tree):
    with pytest.raises(ValidationError) as refused:
        question_ask(actor=tree.users["member_a1"], addressee="cell", text="x" * 4_001)

    assert "text" in refused.value.message_dict
    assert not Question.objects.exists()
