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
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/new/", views.UnitCreateView.as_view(), name="create"),
    path("<str:code>/edit/", views.UnitEditView.as_view(), name="edit"),
    path("<str:code>/move/", views.UnitMoveView.as_view(), name="move"),
    path("<str:code>/close/", views.UnitCloseView.as_view(), name="close"),
    path("<str:code>/merge/", views.UnitMergeView.as_view(), name="merge"),
]
