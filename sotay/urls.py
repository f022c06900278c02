from django.contrib import admin
from django.urls import include, path

from common.views import health

from .api import api

urlpatterns = [
    path("", include("accounts.urls")),
    path("units/", include("orgunits.urls")),
    path("members/", include("members.urls")),
    path("corrections/", include("corrections.urls")),
    path("rollout/", include("rollout.urls")),
    path("notifications/", include("notifications.urls")),
    path("notices/", include("notices.urls")),
    path("library/", include("library.urls")),
    path("meetings/", include("meetings.urls")),
    path("questions/", include("questions.urls")),
    path("reports/", include("reports.urls")),
    path("handbook/", include("handbook.urls")),
    path("", include("handbook.pwa_urls")),  # /manifest.webmanifest and /sw.js must sit at the site root
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]
