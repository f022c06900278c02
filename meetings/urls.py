from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("series/new/", views.series_create, name="series_create"),
    path("reply/", views.reply, name="reply"),
    path("check-in/", views.check_in, name="check_in"),
    path("ballot/", views.ballot, name="ballot"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_update, name="update"),
    path("<int:pk>/invite/", views.meeting_invite, name="invite"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes.pdf", views.minutes_file, name="minutes_file"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/qr/", views.qr, name="qr"),
    path("<int:pk>/qr/code/", views.qr_code, name="qr_code"),
    path("<int:pk>/comments/", views.comments, name="comments"),
    path("comments/<int:pk>/answer/", views.comment_answer, name="comment_answer"),
    path("<int:pk>/votes/", views.votes, name="votes"),
    path("votes/<int:pk>/close/", views.vote_close, name="vote_close"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("excuses/<int:pk>/", views.excuse_decide, name="excuse"),
    path("units/<str:code>/", views.figures, name="figures"),
]
