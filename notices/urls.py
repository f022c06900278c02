from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_create, name="create"),
    path("news/", views.news_list, name="news"),
    path("news/new/", views.news_create, name="news_create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/picture/", views.news_picture, name="picture"),
    path("<int:pk>/withdraw/", views.notice_withdraw, name="withdraw"),
]
