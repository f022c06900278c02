"""The procedure guide over the API: the same selectors as the pages."""

import datetime

from ninja import Router, Schema

from common.api import READ_ERRORS, Int64

from . import selectors

router = Router(tags=["guide"])


class GuideEntryOut(Schema):
    id: int
    unit_code: str
    topic: str
    title: str
    summary: str
    steps: list[str]
    forms: list[str]
    updated_at: datetime.datetime


def _out(entry) -> dict:
    return {
        "id": entry.pk,
        "unit_code": entry.unit.code,
        "topic": entry.topic,
        "title": entry.title,
        "summary": entry.summary,
        "steps": entry.step_list,
        "forms": entry.form_list,
        "updated_at": entry.updated_at,
    }


@router.get("", response={200: list[GuideEntryOut], **READ_ERRORS}, summary="Guide entries the caller may read")
def entries(request, q: str = "", topic: str = ""):
    rows = selectors.entry_list(actor=request.auth, search=q[:200], topic=topic[:16])
    return [_out(entry) for entry in rows[:200]]


@router.get("/{int:entry_id}", response={200: GuideEntryOut, **READ_ERRORS}, summary="One guide entry")
def entry(request, entry_id: Int64):
    return _out(selectors.entry_get(actor=request.auth, pk=entry_id))
