"""Members working in agencies, units and enterprises register with the party cell where they live
(Quy định 213-QĐ/TW, 2020): the request, the residential cell's acceptance or refusal, and the residential
cell's yearly feedback to the member's own cell before its year-end rating."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import RegistrationStatus


class Registration(models.Model):
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="residence_registrations"
    )
    # The member's cell when the request was made: the cell that receives the yearly feedback.
    work_unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("work cell"), on_delete=models.PROTECT, related_name="+"
    )
    residential_unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("residential cell"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("residence registration")
        verbose_name_plural = _("residence registrations")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            # A member is registered (or waiting) in one place at a time; refused requests stay as history.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=[RegistrationStatus.REQUESTED, RegistrationStatus.ACCEPTED]),
                name="one_open_residence_registration",
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.REFUSED) | Q(refusal_reason=""),
                name="residence_reason_only_when_refused",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.residential_unit}"


class Feedback(models.Model):
    """The residential cell's yearly remarks on a registered member (phiếu nhận xét), on the points of 213."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="feedback"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    keeps_contact = models.BooleanField(_("keeps in touch with the cell and the people where they live"))
    sets_example = models.BooleanField(
        _("sets an example in following the policies, the law and local rules, with their family")
    )
    takes_part = models.BooleanField(_("takes part in the activities of the place where they live"))
    remarks = models.TextField(_("remarks"), blank=True)
    given_on = models.DateField(_("given on"))

    class Meta:
        verbose_name = _("residence feedback")
        verbose_name_plural = _("residence feedback")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["registration", "year"], name="one_residence_feedback_a_year")]

    def __str__(self) -> str:
        return f"{self.registration} {self.year}"
