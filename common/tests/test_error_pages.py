"""The error pages speak Vietnamese in the site's layout: no bare English "403 Forbidden"."""

from unittest import mock

from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from common import errors


def vietnamese_client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def test_a_refused_page_shows_the_sites_403_in_vietnamese(tree):
    # A viewer sees the rollout figures but may not create a support team.
    client = vietnamese_client(tree.users["province_viewer"])

    response = client.get(reverse("rollout:team_create", args=[tree.commune_a.code]))

    assert response.status_code == 403
    assert "403 Forbidden" not in response.text
    assert "Không được phép" in response.text
    assert 'class="site-header"' in response.text and 'class="site-nav"' in response.text


def test_a_missing_page_shows_the_sites_404_in_vietnamese(tree):
    response = vietnamese_client(tree.users["member_a1"]).get("/no-such-page/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
    assert 'class="site-nav"' in response.text


def test_a_form_sent_without_its_csrf_token_explains_itself_in_vietnamese(db):
    response = vietnamese_client().post(reverse("accounts:login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.text
    assert "CSRF" not in response.text


def test_the_500_page_needs_neither_the_request_nor_the_database(db):
    request = RequestFactory().get("/")
    with (
        translation.override("vi"),
        mock.patch.object(connection, "cursor", side_effect=AssertionError("the 500 page used the database")),
    ):
        response = errors.server_error(request)

    assert response.status_code == 500
    assert "Lỗi máy chủ" in response.content.decode()
    assert "css/app.css" in response.content.decode()
