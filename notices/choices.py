from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeKind(models.TextChoices):
    """A notice goes to the recipients' inboxes (and phones); a news item is only listed, and the home shows the
    latest: news is for reading when one has the time, not for an alert on six million phones."""

    NOTICE = "notice", pgettext_lazy("kind of item", "Notice")
    NEWS = "news", _("News")
