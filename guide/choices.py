from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    ADMISSION = "admission", _("Admission and probation")
    TRANSFER = "transfer", _("Transfer of party activity")
    DUES = "dues", _("Party dues")
    EXEMPTION = "exemption", _("Exemption from work and activities")
    RATING = "rating", _("Year-end rating")
    RECORDS = "records", _("Member records")
    OTHER = "other", _("Other procedures")
