from django.urls import path

app_name = "orgunits"
urlpatterns: list = []
