from django.urls import path

from . import views

app_name = "orgunits"
urlpatterns = [
    path("", views.unit_list, name="list"),
    # Two segments, so that no unit code can shadow it.
    path("divisions/load/", views.divisions, name="divisions"),
    # Before "<code>/": these words are no unit's code.
    path("import/", views.unit_import_page, name="import"),
    path("import/commit/", views.unit_import_commit, name="import_commit"),
    path("import/result/", views.unit_import_result, name="import_result"),
    path("import/sample.xlsx", views.unit_import_sample, name="import_sample"),
    path("organisations/", views.organisation_list_page, name="organisations"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisations/<str:code>/", views.organisation_detail, name="organisation"),
    path("organisations/<str:code>/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("organisations/<str:code>/close/", views.organisation_close, name="organisation_close"),
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/new/", views.UnitCreateView.as_view(), name="create"),
    path("<str:code>/edit/", views.UnitEditView.as_view(), name="edit"),
    path("<str:code>/move/", views.UnitMoveView.as_view(), name="move"),
    path("<str:code>/close/", views.UnitCloseView.as_view(), name="close"),
    path("<str:code>/merge/", views.UnitMergeView.as_view(), name="merge"),
]
