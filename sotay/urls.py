from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("accounts.urls")),
    path("units/", include("orgunits.urls")),
    path("members/", include("members.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
