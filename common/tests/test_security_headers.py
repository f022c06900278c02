"""The Content-Security-Policy and the other security headers on every answer, and no inline code that it would refuse."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

from common.middleware import SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db

INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)|\son[a-z]+=\"|\sstyle=\"|<style", re.IGNORECASE)


def our_templates() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates"] + [
        Path(settings.BASE_DIR) / app / "templates" for app in settings.INSTALLED_APPS if "." not in app
    ]
    return sorted(path for root in roots if root.is_dir() for path in root.rglob("*.html"))


@pytest.mark.parametrize("url", ["/login/", "/api/openapi.json", "/healthz"])
def test_every_answer_carries_the_policy_and_the_other_headers(client, url):
    response = client.get(url)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["Permissions-Policy"].startswith("camera=()")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_view_that_sets_its_own_policy_keeps_it(rf):
    from django.http import HttpResponse

    def own_policy(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    assert SecurityHeadersMiddleware(own_policy)(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"


def test_no_template_of_ours_carries_code_the_policy_would_refuse():
    templates = our_templates()
    assert len(templates) > 50  # the walk finds the apps' templates
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)!r}"
        for path in templates
        for match in INLINE_CODE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_inline_code_check_catches_each_kind():
    for markup in (
        "<script>alert(1)</script>",
        '<button onclick="x()">',
        '<p style="color:red">',
        "<style>p{}</style>",
    ):
        assert INLINE_CODE.search(markup), markup
    for markup in ('<script src="/static/app.js" defer></script>', '<script type="application/json" src="/x">'):
        assert not INLINE_CODE.search(markup), markup


def test_the_base_template_turns_off_htmxs_inline_styles():
    assert '"includeIndicatorStyles": false' in get_template("base.html").template.source
