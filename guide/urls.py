from django.urls import path

from . import views

app_name = "guide"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.entry, name="entry"),
    path("<int:pk>/edit/", views.edit, name="edit"),
]
