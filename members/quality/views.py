"""The data-quality page of a unit: counts per check and per child unit, scores, and the problems to fix."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Permission
from accounts.scoping import outermost_unit_code
from common.pagination import CountedPaginator
from common.routers import heavy_read_view
from orgunits.selectors import unit_get

from . import checks


def _unit(request):
    code = (
        request.GET.get("unit") or request.POST.get("unit") or outermost_unit_code(request.user, Permission.MEMBER_VIEW)
    )
    return unit_get(actor=request.user, code=code, permission=Permission.MEMBER_VIEW)


@login_required
@heavy_read_view
def quality_report(request):
    unit = _unit(request)
    selected = checks.CHECKS_BY_CODE.get(request.GET.get("check", ""))
    report = checks.quality_report(actor=request.user, unit=unit, check=selected)
    context = {"unit": unit, "report": report, "selected": selected, "running": checks.running_pass()}
    if report is not None:
        page = CountedPaginator(report.problems, settings.MEMBER_LIST_PAGE_SIZE, count=report.problem_count)
        page = page.get_page(request.GET.get("page"))
        context.update(page=page, rows=checks.problem_rows(page.object_list, report.run))
    return render(request, "members/quality.html", context)


@login_required
@require_POST
def quality_refresh(request):
    unit = _unit(request)
    if checks.quality_refresh_request(actor=request.user, unit=unit):
        messages.success(request, _("The checks are running again. The page shows the new results when they finish."))
    else:
        messages.info(request, _("The checks are already running. The page shows the new results when they finish."))
    return redirect(reverse("members:quality") + "?" + urlencode({"unit": unit.code}))
