"""common.storage.PrivateStorage: files under MEDIA_ROOT as it is at each use, and never a public URL."""

import pytest

from common.storage import PrivateStorage


def test_files_go_under_the_media_root_of_the_moment(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)

    assert PrivateStorage(refusal="No URL.").path("library/a.pdf") == str(tmp_path / "library" / "a.pdf")


def test_asking_for_a_url_is_refused_with_the_apps_own_words():
    with pytest.raises(ValueError, match="Meeting files have no public URL."):
        PrivateStorage(refusal="Meeting files have no public URL.").url("meetings/a.pdf")
