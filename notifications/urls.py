from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("open/", views.notification_open, name="open"),
    path("read/", views.mark_read, name="mark_read"),
    path("read/all/", views.mark_all_read, name="mark_all_read"),
]
