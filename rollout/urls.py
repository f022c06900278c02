from django.urls import path

from . import views

app_name = "rollout"
urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<int:pk>/activate/<int:member_pk>/", views.supporter_activation, name="supporter_activation"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/phone/<int:member_pk>/", views.phone_reveal, name="phone_reveal"),
    path("teams/<int:pk>/sessions/", views.help_session_log, name="log_session"),
    path("teams/<int:pk>/members/", views.team_member_add, name="team_member_add"),
    path("teams/<int:pk>/assign/", views.worklist_assign, name="assign"),
    path("<str:code>/", views.dashboard, name="dashboard"),
    path("<str:code>/export.xlsx", views.dashboard_export, name="export"),
    path("<str:code>/report.docx", views.dashboard_report, name="report_docx"),
    path("<str:code>/pending/", views.pending, name="pending"),
    path("<str:code>/plans/", views.plans, name="plans"),
    path("<str:code>/training/", views.training, name="training"),
    path("<str:code>/teams/new/", views.team_create, name="team_create"),
]
