from django.urls import path

from . import views

app_name = "cards"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/photo/", views.mine_photo, name="mine_photo"),
    path("mine/revoke/", views.mine_revoke, name="mine_revoke"),
    path("check/", views.check, name="check"),
    path("check/photo/", views.check_photo, name="check_photo"),
    path("photos/", views.photos, name="photos"),
    path("photos/<int:pk>/image/", views.photo, name="photo"),
    path("photos/<int:pk>/decide/", views.photo_decide, name="photo_decide"),
    path("members/<int:pk>/", views.member_card, name="member"),
]
