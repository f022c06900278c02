"""The member list's search box and filters, parsed from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Permission
from accounts.models import User
from orgunits.selectors import unit_get

from .choices import MemberStatus

_ELIGIBILITY = {"yes": True, "no": False}


class MemberFilter(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, card number, citizen ID or phone"), "autocomplete": "off"}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *MemberStatus.choices]
    )
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=32)
    eligible = forms.ChoiceField(
        label=_("Eligible for the app"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Yes")), ("no", _("No"))],
    )

    def selector_arguments(self, actor: User) -> dict:
        """Keyword arguments for `member_list`. A unit code outside the actor's scope is a 404.

        Invalid values (a status that does not exist) are ignored rather than emptying the list.
        """
        self.is_valid()
        data = self.cleaned_data
        unit_code = data.get("unit", "")
        return {
            "search": data.get("q", ""),
            "status": data.get("status", ""),
            "unit": unit_get(actor=actor, code=unit_code, permission=Permission.MEMBER_VIEW) if unit_code else None,
            "is_eligible": _ELIGIBILITY.get(data.get("eligible", "")),
        }
