from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("bookmarks/", views.bookmarks, name="bookmarks"),
    path("publish/", views.document_publish, name="publish"),
    path("<int:pk>/", views.document_detail, name="detail"),
    # Stable: the service worker caches it for offline reading.
    path("<int:pk>/file/", views.document_file, name="file"),
    path("<int:pk>/bookmark/", views.bookmark_toggle, name="bookmark"),
    path("<int:pk>/reads/", views.read_rates, name="reads"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/withdraw/", views.document_withdraw, name="withdraw"),
]
