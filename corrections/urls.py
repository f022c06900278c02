from django.urls import path

from . import views

app_name = "corrections"

urlpatterns = [
    path("my-record/", views.my_record, name="my_record"),
    path("members/", views.member_search, name="member_search"),
    path("members/<int:pk>/", views.member_record, name="member_record"),
    path("members/<int:pk>/verify/", views.verify, name="verify"),
    path("members/<int:pk>/request/<slug:section>/", views.request_create, name="request"),
    path("queue/", views.queue, name="queue"),
    path("queue/bulk/", views.bulk_decide, name="bulk"),
    path("requests/<int:pk>/", views.request_detail, name="detail"),
    path("requests/<int:pk>/decide/", views.decide, name="decide"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("change-file/", views.change_file, name="change_file"),
    path("figures/", views.figures, name="figures"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/members/<int:member_pk>/answer/", views.campaign_answer, name="campaign_answer"),
]
