from django.urls import path

from . import views

app_name = "dues"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("mine/qr/", views.mine_qr, name="mine_qr"),
    path("cells/<str:code>/", views.cell, name="cell"),
    path("cells/<str:code>/bank-account/", views.bank_account, name="bank_account"),
    path("cells/<str:code>/statement/", views.statement, name="statement"),
    path("entries/<int:pk>/correct/", views.entry_correct, name="correct"),
    path("members/<int:pk>/", views.member, name="member"),
    path("members/<int:pk>/basis/", views.profile_add, name="profile_add"),
    path("members/<int:pk>/exemptions/", views.exemption_add, name="exemption_add"),
    path("members/<int:pk>/reason/", views.reason_add, name="reason_add"),
    path("units/<str:code>/", views.units, name="units"),
]
