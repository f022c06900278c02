from django.urls import path

from . import views
from .exporting import views as export_views
from .importing import views as import_views
from .quality import views as quality_views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.MemberCreateView.as_view(), name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.MemberEditView.as_view(), name="edit"),
    path("export/", export_views.member_list_export, name="export"),
    path("export/7-hsdv/<str:code>/", export_views.cell_list_export, name="export_7hsdv"),
    path("export/registry/<str:code>/", export_views.registry_export, name="export_registry"),
    path("access-log/", views.access_log, name="access_log"),
    path("quality/", quality_views.quality_report, name="quality"),
    path("quality/refresh/", quality_views.quality_refresh, name="quality-refresh"),
    path("import/", import_views.import_start, name="import"),
    path("import/sample.xlsx", import_views.import_sample, name="import_sample"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/mapping/", import_views.import_mapping, name="import_mapping"),
    path("import/<int:pk>/commit/", import_views.import_commit, name="import_commit"),
    path("import/<int:pk>/rows/<int:row_pk>/decision/", import_views.import_row_decide, name="import_row_decide"),
    path("import/<int:pk>/rows/<int:row_pk>/edit/", import_views.import_row_edit, name="import_row_edit"),
    path("import/<int:pk>/remap/", import_views.import_remap_column, name="import_remap_column"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
]
