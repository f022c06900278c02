from django.urls import path

from . import pwa, views

app_name = "handbook"

# Mounted at the site root: the member's record is /me/, the rest of the handbook under /handbook/.
urlpatterns = [
    path("me/", views.my_record, name="my_record"),
    path("handbook/", views.home, name="home"),
    path("handbook/today/", views.today, name="today"),
    path("handbook/display/", views.display, name="display"),
    path("handbook/offline/", pwa.offline, name="offline"),
]
