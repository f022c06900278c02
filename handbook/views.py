"""Pages: the member's home (phone first) and the display preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from members.display import member_sections
from members.kept_pages import kept_for_plain_members
from members.selectors import member_get

from . import home_cache, home_fragments, selectors, services
from .forms import DisplayPreferenceForm


def _display_form(user) -> DisplayPreferenceForm:
    preference = selectors.display_preference_for(user=user)
    return DisplayPreferenceForm(
        initial={"is_large_text": preference.is_large_text, "is_high_contrast": preference.is_high_contrast}
    )


@login_required
def home(request):
    """The member's own things at a glance: record card, cell and secretary, what is coming, what is open."""
    return home_cache.home_page(
        request,
        build=lambda: selectors.home_for(user=request.user),
        render=lambda home, versions: home_fragments.render_home(
            request, home, lambda: _display_form(request.user), versions
        ),
    )


@login_required
@kept_for_plain_members()
def my_record(request):
    """The member's whole record, section by section (a user without a record is told how to get it linked)."""
    member = member_get(actor=request.user, pk=request.user.member_id) if request.user.member_id else None
    sections = member_sections(member) if member else []
    return render(request, "handbook/my_record.html", {"member": member, "sections": sections})


@login_required
def today(request):
    """The officer's landing page: what needs doing today in their units, with a link to each list."""
    if not selectors.is_officer(request.user):
        return redirect("handbook:home")
    return render(request, "handbook/today.html", {"today": selectors.today_for(user=request.user)})


@login_required
def display(request):
    """Large text and high contrast, for this user on every page and every device."""
    if request.method != "POST":
        return render(request, "handbook/display.html", {"form": _display_form(request.user)})
    form = DisplayPreferenceForm(request.POST)
    form.is_valid()  # two optional checkboxes: always valid
    services.display_preference_set(actor=request.user, **form.cleaned_data)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.headers.get("HX-Request"):
        # The page's stylesheets change: htmx reloads the page.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    messages.success(request, _("Display saved."))
    return redirect(next_url or "handbook:display")
