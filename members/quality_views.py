"""The data-quality page of a unit: counts per check and per child unit, scores, and the problems to fix."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.choices import Permission
from accounts.scoping import outermost_unit_code
from orgunits.selectors import unit_get
from sotay.routers import heavy_read_view

from . import quality


@login_required
@heavy_read_view
def quality_report(request):
    code = request.GET.get("unit") or outermost_unit_code(request.user, Permission.MEMBER_VIEW)
    unit = unit_get(actor=request.user, code=code, permission=Permission.MEMBER_VIEW)
    report = quality.quality_report(actor=request.user, unit=unit)
    selected = quality.CHECKS_BY_CODE.get(request.GET.get("check", ""))
    problems = [p for p in report.problems if p.check is selected] if selected else report.problems
    page = Paginator(problems, settings.MEMBER_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "report": report,
        "selected": selected,
        "page": page,
        "rows": quality.problem_rows(list(page.object_list)),
    }
    return render(request, "members/quality.html", context)
