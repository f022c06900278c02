from django.urls import path

from . import views

app_name = "admission"
urlpatterns = [
    path("", views.index, name="index"),
    path("late/", views.late, name="late"),
    path("probation/<int:pk>/", views.case, name="case"),
    path("probation/<int:pk>/file/", views.file, name="file"),
    path("probation/<int:pk>/vote/", views.vote, name="vote"),
    path("probation/<int:pk>/decide/", views.decide, name="decide"),
]
