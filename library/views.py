"""Library pages: the list with search and filters, a document, its file, bookmarks, read rates, publishing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.views import form_service, service_action
from members.kept_pages import kept_for_plain_members

from . import conf, selectors, services
from .forms import DocumentEditForm, DocumentFilterForm, DocumentForm, WithdrawForm


@login_required
@kept_for_plain_members()
def document_list(request):
    years, bodies = selectors.filter_choices(actor=request.user)
    filters = DocumentFilterForm(request.GET or None, years=years, bodies=bodies)
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    documents = selectors.document_list(
        actor=request.user,
        search=data.get("q") or "",
        kind=data.get("kind") or "",
        year=data.get("year"),
        issuing_body=data.get("body") or "",
    )
    page = Paginator(documents, conf.page_size()).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "can_publish": selectors.publishing_units(actor=request.user).exists(),
    }
    template = "library/_results.html" if request.headers.get("HX-Request") else "library/document_list.html"
    return render(request, template, context)


@login_required
def bookmarks(request):
    documents = selectors.bookmarked_documents(user=request.user)
    page = Paginator(documents, conf.page_size()).get_page(request.GET.get("page"))
    return render(request, "library/bookmarks.html", {"page": page})


@login_required
def document_detail(request, pk: int):
    document = selectors.document_get(actor=request.user, pk=pk)
    read = None
    if not document.is_withdrawn:
        read = services.document_read_record(user=request.user, document=document)
    context = {
        "document": document,
        "read": read,
        "is_bookmarked": selectors.is_bookmarked(user=request.user, document=document),
        "can_see_read_rates": selectors.can_see_read_rates(user=request.user, document=document),
        "can_manage": selectors.can_manage(user=request.user, document=document),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "library/document_detail.html", context)


@login_required
def document_file(request, pk: int):
    """The PDF, to those who may read the document: inline with its original name, cacheable on the user's device only."""
    document = selectors.document_get(actor=request.user, pk=pk)
    if not document.file:
        raise Http404
    if not document.is_withdrawn:
        # Opening the PDF straight from a link (a notice, the offline copy) is reading it too.
        services.document_read_record(user=request.user, document=document)
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=bool(request.GET.get("download")),
        filename=document.file_name or f"{document.number}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Stable URL: the service worker keeps it for reading offline; shared caches never keep it.
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_POST
def bookmark_toggle(request, pk: int):
    document = selectors.document_get(actor=request.user, pk=pk)
    is_bookmarked = services.bookmark_toggle(user=request.user, document=document)
    if request.headers.get("HX-Request"):
        return render(request, "library/_bookmark.html", {"document": document, "is_bookmarked": is_bookmarked})
    messages.success(request, _("Bookmarked.") if is_bookmarked else _("Bookmark removed."))
    return redirect("library:detail", pk=document.pk)


@login_required
def read_rates(request, pk: int):
    document = selectors.document_get(actor=request.user, pk=pk)
    if not selectors.can_see_read_rates(user=request.user, document=document):
        raise PermissionDenied
    unit = selectors.read_rate_unit(document=document, code=request.GET.get("unit"))
    total, children = selectors.read_rates(document=document, unit=unit)
    context = {"document": document, "total": total, "children": children, "is_publishing_unit": unit == document.unit}
    return render(request, "library/read_rates.html", context)


@login_required
def document_publish(request):
    units = selectors.publishing_units(actor=request.user)
    if not units.exists():
        raise PermissionDenied
    max_megabytes = round(conf.max_file_bytes() / (1024 * 1024), 1)
    form = DocumentForm(request.POST or None, request.FILES or None, units=units, max_megabytes=max_megabytes)
    if done := form_service(
        request,
        form,
        lambda data: services.document_publish(
            actor=request.user, upload=data["file"] or None, **{k: v for k, v in data.items() if k != "file"}
        ),
        success=_("Document published."),
        to=lambda document: reverse("library:detail", args=[document.pk]),
    ):
        return done
    return render(request, "library/document_form.html", {"form": form})


@login_required
def document_edit(request, pk: int):
    document = selectors.document_get(actor=request.user, pk=pk)
    if not selectors.can_manage(user=request.user, document=document) or document.is_withdrawn:
        raise PermissionDenied
    initial = {field: getattr(document, field) for field in services.EDITABLE_FIELDS}
    form = DocumentEditForm(request.POST or None, initial=initial)
    if done := form_service(
        request,
        form,
        lambda data: services.document_update(actor=request.user, document=document, **data),
        success=_("Document corrected."),
        to="library:detail",
        pk=document.pk,
    ):
        return done
    return render(request, "library/document_edit.html", {"form": form, "document": document})


@login_required
@require_POST
def document_withdraw(request, pk: int):
    document = selectors.document_get(actor=request.user, pk=pk)
    if not selectors.can_manage(user=request.user, document=document):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the document is withdrawn."))
        return redirect("library:detail", pk=document.pk)
    return service_action(
        request,
        lambda: services.document_withdraw(actor=request.user, document=document, reason=form.cleaned_data["reason"]),
        success=_("Document withdrawn."),
        to="library:detail",
        pk=document.pk,
    )
