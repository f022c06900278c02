from django.urls import path

from . import views

app_name = "orgunits"
urlpatterns = [
    path("", views.unit_list, name="list"),
    # Two segments, so that no unit code can shadow it.
    path("divisions/load/", views.divisions, name="divisions"),
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/new/", views.UnitCreateView.as_view(), name="create"),
    path("<str:code>/edit/", views.UnitEditView.as_view(), name="edit"),
    path("<str:code>/move/", views.UnitMoveView.as_view(), name="move"),
    path("<str:code>/close/", views.UnitCloseView.as_view(), name="close"),
    path("<str:code>/merge/", views.UnitMergeView.as_view(), name="merge"),
]
