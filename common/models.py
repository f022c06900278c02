from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicHoliday(models.Model):
    """A day off for the whole country: not a working day for deadlines.

    Seeded with the statutory holidays of the Labour Code (art. 112) for the years around the release; the
    Government's yearly decisions (Tết dates, swapped working days) are added by administrators.
    """

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"
