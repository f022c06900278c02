"""Where uploaded files that only a view may serve are kept (library documents, meeting papers, supporting papers)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT read at each use (tests point it elsewhere); no URL: files are streamed by a view after a scope
    check. `refusal` is what asking for a URL says (which files, and which view serves them)."""

    def __init__(self, *, refusal: str):
        super().__init__()
        self.refusal = refusal

    @property
    def base_location(self):
        return settings.MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(self.refusal)
