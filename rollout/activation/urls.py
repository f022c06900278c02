"""Mounted at the site root: the paths are those activation always had (/activate/ is printed on slips)."""

from django.urls import path

from . import views

app_name = "activation"
urlpatterns = [
    path("activate/", views.activate, name="activate"),
    path("activate/password/", views.activate_password, name="activate_password"),
    path("activate/sms/", views.activate_sms, name="activate_sms"),
    path("activation/slips/<str:code>/", views.activation_slips, name="activation_slips"),
    path("activation/reset/<int:pk>/", views.activation_reset, name="activation_reset"),
    # Issued from the import's page, so under its path.
    path("members/import/<int:pk>/slips/", views.import_slips, name="import_slips"),
]
