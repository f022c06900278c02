"""common.views.service_action: a button's POST runs one service, says how it went, and goes back to the page."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from common.views import service_action


@pytest.fixture
def request_():
    request = RequestFactory().post("/anything/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def said(request) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(request)]


def test_a_done_action_says_so_with_what_the_service_returned_and_redirects(request_):
    response = service_action(request_, lambda: 3, success=lambda count: f"{count} sent.", to="/back/")

    assert (response.status_code, response.url) == (302, "/back/")
    assert said(request_) == [("success", "3 sent.")]


def test_a_refused_action_shows_the_services_words_and_redirects_all_the_same(request_):
    def refuse():
        raise ValidationError({"reason": ["Say why."], "day": ["Too late."]})

    response = service_action(request_, refuse, success="Done.", to="/back/")

    assert response.url == "/back/"
    assert said(request_) == [("error", "Say why. Too late.")]


def test_without_a_success_text_nothing_is_said(request_):
    service_action(request_, lambda: None, to="/back/")

    assert said(request_) == []


def test_a_permission_refusal_is_left_to_django(request_):
    def forbid():
        raise PermissionDenied

    with pytest.raises(PermissionDenied):
        service_action(request_, forbid, success="Done.", to="/back/")
