from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views
from .officers import views as officer_views
from .security import views as security_views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/pin/", views.pin_sign_in, name="pin_sign_in"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("security/", security_views.security, name="security"),
    path("security/pin/", security_views.device_pin, name="device_pin"),
    path("security/password/", security_views.PasswordChange.as_view(), name="password_change"),
    path("security/two-factor/", security_views.two_factor_setup, name="two_factor_setup"),
    path("security/two-factor/verify/", security_views.two_factor_verify, name="two_factor_verify"),
    path("security/two-factor/recovery-codes/", security_views.recovery_codes_new, name="recovery_codes_new"),
    path("security/two-factor/off/", security_views.two_factor_off, name="two_factor_off"),
    path("security/api-tokens/revoke/", security_views.api_token_revoke_view, name="api_token_revoke"),
    path("security/sign-out-elsewhere/", security_views.sign_out_elsewhere, name="sign_out_elsewhere"),
    path("officers/", officer_views.officers_import_page, name="officers_import"),
    path("officers/commit/", officer_views.officers_import_commit, name="officers_import_commit"),
    path("officers/new/", officer_views.officer_create, name="officer_create"),
    path("officers/result/", officer_views.officers_import_result, name="officers_import_result"),
    path("officers/slips/", officer_views.officers_slips, name="officers_slips"),
    path("officers/sample.xlsx", officer_views.officers_sample, name="officers_sample"),
    path("officers/civic/", officer_views.civic_roles, name="civic_roles"),
    path("officers/civic/<int:pk>/revoke/", officer_views.civic_role_revoke, name="civic_role_revoke"),
]
