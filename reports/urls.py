from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
    path("templates/<int:pk>/revise/", views.template_revise, name="template_revise"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/new/places/", views.campaign_create_places, name="campaign_create_places"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/table.xlsx", views.campaign_xlsx, name="campaign_xlsx"),
    path("campaigns/<int:pk>/table.docx", views.campaign_docx, name="campaign_docx"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/save/", views.submission_save, name="submission_save"),
    path("submissions/<int:pk>/accept/", views.submission_accept, name="submission_accept"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:pk>/compile/", views.submission_compile, name="submission_compile"),
    path("submissions/<int:pk>/refresh/", views.submission_refresh, name="submission_refresh"),
    path("submissions/<int:pk>/report.xlsx", views.submission_xlsx, name="submission_xlsx"),
    path("submissions/<int:pk>/report.docx", views.submission_docx, name="submission_docx"),
    path("submissions/<int:pk>/print/", views.submission_print, name="submission_print"),
]
