"""The installable app's files that must sit at the site root: the manifest, and the service worker
(whose scope is the folder it is served from)."""

from django.urls import path

from . import pwa

urlpatterns = [
    path("manifest.webmanifest", pwa.manifest, name="handbook-manifest"),
    path("sw.js", pwa.service_worker, name="handbook-service-worker"),
]
