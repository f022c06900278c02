from django.contrib.auth.views import LogoutView
from django.urls import path

from . import activation_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("me/", views.my_record, name="my_record"),
    path("activate/", activation_views.activate, name="activate"),
    path("activate/password/", activation_views.activate_password, name="activate_password"),
    path("activate/sms/", activation_views.activate_sms, name="activate_sms"),
    path("activation/slips/<str:code>/", activation_views.activation_slips, name="activation_slips"),
    path("activation/reset/<int:pk>/", activation_views.activation_reset, name="activation_reset"),
]
