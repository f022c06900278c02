"""The installable app: its manifest, its service worker (served from the site root so that it may control
every page) and the page shown when there is no connection."""

import hashlib
import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#b3121b"
ICON_SIZES = (192, 512)


def shell_files() -> list[str]:
    """What the service worker keeps from its installation on: the look of every page and the offline page."""
    return [
        static("css/app.css"),
        static("vendor/htmx.min.js"),
        static("handbook/app.js"),
        static("handbook/large-text.css"),
        static("handbook/high-contrast.css"),
        *(static(f"handbook/icon-{size}.png") for size in ICON_SIZES),
        reverse("handbook:offline"),
    ]


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    data = {
        "name": "Sổ tay đảng viên",
        "short_name": "Sổ tay",
        "description": _("The party member's handbook: your record, your cell, meetings and documents."),
        "lang": "vi",
        "start_url": reverse("handbook:home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {
                "src": static(f"handbook/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in ICON_SIZES
        ]
        + [
            {
                "src": static("handbook/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            }
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def service_worker_source() -> str:
    """The worker's script; its version is a digest of its own text, so any change installs a new worker."""
    context = {
        "shell": json.dumps(shell_files()),
        "offline_url": json.dumps(reverse("handbook:offline")),
        "home_url": json.dumps(reverse("handbook:home")),
        "root_url": json.dumps(reverse("accounts:home")),
        "record_url": json.dumps(reverse("handbook:my_record")),
        "logout_url": json.dumps(reverse("accounts:logout")),
        "checkin_url": json.dumps("/meetings/check-in/"),
        "ballot_url": json.dumps("/meetings/ballot/"),
        "study_step_url": json.dumps(reverse("study:step_done")),
        "icon_url": json.dumps(static("handbook/icon-192.png")),
        "queued_title": json.dumps(_("Saved on this phone")),
        "queued_text": json.dumps(
            _("There is no connection. Your check-in is kept on this phone and sent when the connection returns.")
        ),
        "comment_queued_text": json.dumps(
            _("There is no connection. Your comment is kept on this phone and sent when the connection returns.")
        ),
        "study_queued_text": json.dumps(
            _("There is no connection. Your progress is kept on this phone and sent when the connection returns.")
        ),
        "no_quiz_title": json.dumps(_("The quiz needs a connection")),
        "no_quiz_text": json.dumps(
            _("There is no connection: your answers were not sent. Answer again when the phone is online.")
        ),
        "no_ballot_title": json.dumps(_("Voting needs a connection")),
        "no_ballot_text": json.dumps(
            _("There is no connection: your vote was not sent, and it is not kept on this phone. Vote again online.")
        ),
        "back_text": json.dumps(_("Back to the home page")),
        "version": "__VERSION__",
    }
    source = render_to_string("handbook/sw.js", context)
    version = hashlib.sha256(source.encode()).hexdigest()[:12]
    return source.replace("__VERSION__", version)


@require_GET
def service_worker(request):
    response = HttpResponse(service_worker_source(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker at least daily; never let a cache keep an old one longer.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """Shown by the service worker when a page is neither reachable nor kept on the phone. No user data."""
    return render(request, "handbook/offline.html")
