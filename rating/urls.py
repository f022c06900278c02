from django.urls import path

from . import views

app_name = "rating"
urlpatterns = [
    path("", views.index, name="index"),
    path("issue/", views.issue, name="issue"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("campaigns/<int:pk>/export.xlsx", views.campaign_export, {"kind": "xlsx"}, name="campaign_xlsx"),
    path("campaigns/<int:pk>/export.docx", views.campaign_export, {"kind": "docx"}, name="campaign_docx"),
    path("<int:pk>/", views.rating, name="rating"),
    path("self-review/", views.self_review, name="self_review"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/decide/", views.decide, name="decide"),
]
