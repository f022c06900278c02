from django.urls import path

from . import views

app_name = "residence"
urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.registration, name="registration"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
]
