from django.urls import path

from . import views

app_name = "transfers"
urlpatterns = [
    path("", views.index, name="index"),
    path("late/", views.late, name="late"),
    path("apply/", views.apply, name="apply"),
    path("incoming/", views.incoming, name="incoming"),
    path("letters/check/", views.check, name="check"),
    path("<int:pk>/", views.transfer, name="transfer"),
    path("<int:pk>/letter.docx", views.letter, name="letter"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/receive/", views.receive, name="receive"),
    path("<int:pk>/return/", views.return_home, name="return"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
