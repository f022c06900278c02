from django.urls import path

from . import pwa, views

app_name = "handbook"

urlpatterns = [
    path("", views.home, name="home"),
    path("today/", views.today, name="today"),
    path("display/", views.display, name="display"),
    path("offline/", pwa.offline, name="offline"),
]
