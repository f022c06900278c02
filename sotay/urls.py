from django.contrib import admin
from django.urls import include, path

from accounts.language import language_set
from common.views import health

from .api import api

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("rollout.activation.urls")),  # /activate/, /activation/...
    path("units/", include("orgunits.urls")),
    path("members/", include("members.urls")),
    path("corrections/", include("corrections.urls")),
    path("rollout/", include("rollout.urls")),
    path("notifications/", include("notifications.urls")),
    path("notices/", include("notices.urls")),
    path("library/", include("library.urls")),
    path("meetings/", include("meetings.urls")),
    path("dues/", include("dues.urls")),
    path("rating/", include("rating.urls")),
    path("transfers/", include("transfers.urls")),
    path("cards/", include("cards.urls")),
    path("residence/", include("residence.urls")),
    path("guide/", include("guide.urls")),
    path("study/", include("study.urls")),
    path("admission/", include("admission.urls")),
    path("questions/", include("questions.urls")),
    path("reports/", include("reports.urls")),
    path("", include("handbook.urls")),  # /me/ and /handbook/...
    path("", include("handbook.pwa_urls")),  # /manifest.webmanifest and /sw.js must sit at the site root
    path("api/", api.urls),
    path("i18n/setlang/", language_set, name="set_language"),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]

# The error pages in the site's layout and language (common/errors.py), never Django's bare English ones.
handler403 = "common.errors.page_forbidden"
handler404 = "common.errors.page_not_found"
handler500 = "common.errors.server_error"
