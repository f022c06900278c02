"""Dues pages: thin wrappers over the selectors (reads, scoped) and the services (writes)."""

import base64
import binascii
import datetime

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.views import add_service_errors, form_service
from orgunits.choices import CELL_KINDS
from orgunits.models import Unit

from . import selectors, services, statements, vietqr
from .forms import (
    BankAccountForm,
    CorrectionForm,
    ExemptionForm,
    PaymentSheetForm,
    ProfileForm,
    ReasonForm,
    StatementForm,
    parse_month,
    year_from,
)
from .rules import first_of_month

PAGE_SIZE = 20


def _month_from(request) -> datetime.date:
    return parse_month(request.GET.get("month", "")) or first_of_month(timezone.localdate())


def _cell_url(unit: Unit, month: datetime.date) -> str:
    return f"{reverse('dues:cell', args=[unit.code])}?month={month:%Y-%m}"


@login_required
def mine(request):
    """The member's own months of a year: paid, partly paid, owing."""
    member = selectors.own_member(request.user)
    if member is None:
        raise Http404
    year = year_from(request)
    lines = selectors.member_year(member=member, year=year, today=timezone.localdate())
    return render(
        request,
        "dues/mine.html",
        {
            "member": member,
            "year": year,
            "lines": lines,
            "owing": sum((line.owing for line in lines), selectors.ZERO),
            "entries": selectors.own_entries(member=member, year=year),
            "has_account": selectors.bank_account_of(unit=member.unit) is not None,
        },
    )


@login_required
def mine_qr(request):
    """The VietQR code paying what the member owes for a month into the cell's account, with the reference the
    ledger matches when the bank statement is imported."""
    member = selectors.own_member(request.user)
    day = parse_month(request.GET.get("month", ""))
    if member is None or day is None:
        raise Http404
    line = next(
        (
            line
            for line in selectors.member_year(member=member, year=day.year, today=timezone.localdate())
            if line.month == day
        ),
        None,
    )
    if line is None:
        raise Http404
    account = selectors.bank_account_of(unit=member.unit)
    amount = line.owing or line.due
    reference = vietqr.payment_reference(member_id=member.pk, month=day)
    context = {"member": member, "line": line, "account": account, "amount": amount, "reference": reference}
    if account is not None and amount:
        text = vietqr.payload(
            bank_bin=account.bank_bin, account_number=account.account_number, amount=amount, purpose=reference
        )
        context["svg"] = segno.make(text, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return render(request, "dues/mine_qr.html", context)


@login_required
def cell(request, code: str):
    """A cell's month: each member's due and payments; for those who record dues, the sheet to tick who paid."""
    unit = selectors.unit_for_dues(actor=request.user, code=code)
    if unit.kind not in CELL_KINDS:
        return redirect("dues:units", code=unit.code)
    month = parse_month(request.POST.get("month", "")) if request.method == "POST" else _month_from(request)
    if month is None:
        month = first_of_month(timezone.localdate())
    can_record = selectors.can_record(user=request.user, unit=unit)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    rows = selectors.cell_ledger(unit=unit, month=month)
    form = PaymentSheetForm(request.POST or None, rows=rows) if can_record else None
    if form is not None and (
        done := form_service(
            request,
            form,
            lambda data: services.payments_record(
                actor=request.user,
                unit=unit,
                month=month,
                method=data["method"],
                paid_on=data["paid_on"],
                lines=form.lines(),
                note=data["note"],
            ),
            success=lambda entries: _("Payments recorded: %(count)s.") % {"count": len(entries)},
            to=_cell_url(unit, month),
        )
    ):
        return done
    reversed_ids = selectors.reversed_ids(entry for row in rows for entry in row.entries)
    account = selectors.bank_account_of(unit=unit)
    return render(
        request,
        "dues/cell.html",
        {
            "unit": unit,
            "month": month,
            "rows": rows,
            "form": form,
            "can_record": can_record,
            "reversed_ids": reversed_ids,
            "collected": sum((row.line.paid for row in rows), selectors.ZERO),
            "due": sum((row.line.due or 0 for row in rows), selectors.ZERO),
            "account": account,
            "account_form": BankAccountForm(
                initial={
                    "bank_bin": account.bank_bin,
                    "account_number": account.account_number,
                    "account_name": account.account_name,
                }
                if account
                else None
            )
            if can_record
            else None,
        },
    )


@login_required
@require_POST
def bank_account(request, code: str):
    """The account the cell's VietQR codes pay into."""
    unit = selectors.unit_for_dues(actor=request.user, code=code, record=True)
    form = BankAccountForm(request.POST)
    if done := form_service(
        request,
        form,
        lambda data: services.bank_account_set(actor=request.user, unit=unit, **data),
        success=_("Bank account saved."),
        to="dues:cell",
        code=unit.code,
    ):
        return done
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("dues:cell", code=unit.code)


@login_required
def entry_correct(request, pk: int):
    """Correct a recorded payment: it is reversed and, if an amount is given, recorded again."""
    entry = selectors.entry_get(actor=request.user, pk=pk)
    if not selectors.can_record(user=request.user, unit=entry.unit):
        raise PermissionDenied
    initial = {"method": entry.method, "month": entry.month, "paid_on": entry.paid_on, "amount": entry.amount}
    form = CorrectionForm(request.POST or None, initial=initial)
    if done := form_service(
        request,
        form,
        lambda data: services.payment_correct(actor=request.user, entry=entry, **form.service_data()),
        success=_("Payment corrected: the wrong entry is reversed and kept."),
        to=_cell_url(entry.unit, entry.month),
    ):
        return done
    return render(request, "dues/correct.html", {"entry": entry, "form": form})


@login_required
def member(request, pk: int):
    """One member's dues for the cell: the months of a year, the bases and the exemptions recorded."""
    record = selectors.member_for_dues(actor=request.user, pk=pk)
    year = year_from(request)
    can_record = selectors.can_record(user=request.user, unit=record.unit)
    return render(
        request,
        "dues/member.html",
        {
            "member": record,
            "year": year,
            "lines": selectors.member_year(member=record, year=year, today=timezone.localdate()),
            "profiles": record.dues_profiles.order_by("-starts_on"),
            "exemptions": record.dues_exemptions.order_by("-starts_on"),
            "can_record": can_record,
            "profile_form": ProfileForm(initial={"starts_on": first_of_month(timezone.localdate())}),
            "exemption_form": ExemptionForm(initial={"starts_on": first_of_month(timezone.localdate())}),
            "reason_form": ReasonForm(initial={"year": year}),
        },
    )


def _member_write(request, pk: int, form_class, perform, done: str):
    record = selectors.member_for_dues(actor=request.user, pk=pk, record=True)
    form = form_class(request.POST)
    if response := form_service(
        request, form, lambda data: perform(record, data), success=done, to="dues:member", pk=record.pk
    ):
        return response
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("dues:member", pk=record.pk)


@login_required
@require_POST
def profile_add(request, pk: int):
    return _member_write(
        request,
        pk,
        ProfileForm,
        lambda record, data: services.profile_record(actor=request.user, member=record, **data),
        _("Dues basis recorded."),
    )


@login_required
@require_POST
def exemption_add(request, pk: int):
    return _member_write(
        request,
        pk,
        ExemptionForm,
        lambda record, data: services.exemption_record(actor=request.user, member=record, **data),
        _("Exemption recorded."),
    )


@login_required
@require_POST
def reason_add(request, pk: int):
    return _member_write(
        request,
        pk,
        ReasonForm,
        lambda record, data: services.arrears_reason_record(actor=request.user, member=record, **data),
        _("Reason recorded."),
    )


@login_required
def units(request, code: str):
    """The committee's view: dues collected per unit and month in the subtree, what each passes upward, and the
    members with three or more months unpaid in the year."""
    unit = selectors.unit_for_dues(actor=request.user, code=code)
    year = year_from(request)
    children = Paginator(Unit.objects.get_children(unit).order_by("path"), PAGE_SIZE).get_page(request.GET.get("page"))
    total, rows = selectors.collection(unit=unit, year=year, children=list(children))
    worklist = Paginator(selectors.arrears(unit=unit, year=year, today=timezone.localdate()), PAGE_SIZE).get_page(
        request.GET.get("arrears_page")
    )
    return render(
        request,
        "dues/units.html",
        {
            "unit": unit,
            "year": year,
            "total": total,
            "rows": rows,
            "page": children,
            "worklist": worklist,
            "months": range(1, 13),
        },
    )


@login_required
def index(request):
    """Where the menu leads: the cells whose dues the user records, or the units they may see."""
    cells = list(selectors.recording_cells(actor=request.user)[:50])
    if len(cells) == 1:
        return redirect("dues:cell", code=cells[0].code)
    top = selectors.top_units(actor=request.user)
    if not cells and len(top) == 1:
        return redirect("dues:units", code=top[0].code)
    if not cells and not top and request.user.member_id:
        return redirect("dues:mine")
    return render(request, "dues/index.html", {"cells": cells, "top": top})


@login_required
def statement(request, code: str):
    """Import a bank statement: the upload shows which rows match a member and month (and why the others do not);
    confirming records the matched ones. The file travels back with the confirmation, read and checked again."""
    unit = selectors.unit_for_dues(actor=request.user, code=code, record=True)
    form = StatementForm(request.POST or None, request.FILES or None)
    context = {"unit": unit, "form": form}
    if request.method == "POST" and request.POST.get("content"):
        try:
            content = base64.b64decode(request.POST["content"], validate=True)
            entries = services.statement_import(
                actor=request.user, unit=unit, name=request.POST.get("name", ""), content=content
            )
        except (binascii.Error, ValueError):
            messages.error(request, _("The file could not be read back: upload it again."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Transfers recorded from the statement: %(count)s.") % {"count": len(entries)})
            return redirect("dues:cell", code=unit.code)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            statements.check_file(upload.name, content)
            rows = statements.statement_rows(unit=unit, name=upload.name, content=content)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            context.update(
                {
                    "matched": [row for row in rows if row.is_matched],
                    "unmatched": [row for row in rows if not row.is_matched],
                    "name": upload.name,
                    "content": base64.b64encode(content).decode(),
                }
            )
    return render(request, "dues/statement.html", context)
