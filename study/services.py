"""Writes of study. The committee (CONTENT_PUBLISH) issues assignments and writes their questions; a member records
their own steps and quiz attempts; the cell's secretary (MEETING_MANAGE) marks members who studied at a meeting.
Each write is one transaction; the committee's and the secretary's are in the change log, a member's own steps and
attempts are their own rows (kept, never deleted)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from audit.choices import ChangeAction
from audit.services import change_log, creation_log, model_update, snapshot
from common.fields import LONG_TEXT_MAX_LENGTH
from common.freshness import STUDY, changed, member_token, unit_token, user_token
from common.queueing import enqueue_on_commit
from library.models import Document
from meetings.models import Meeting
from members.choices import CURRENT_STATUSES
from members.models import Member
from notifications.services import Message, notify
from orgunits.models import Unit

from .choices import MAX_CHOICES, MAX_QUESTIONS, MaterialKind
from .models import QuizAttempt, StudyAssignment, StudyChoice, StudyProgress, StudyQuestion
from .quiz import QuestionKey, score
from .selectors import may_study, questions_of, study_steps

ASSIGNMENT_FIELDS = ("kind", "title", "text", "starts_on", "ends_on", "pass_mark", "max_attempts")
# A period longer than this is no study campaign (and a typo in the year).
MAX_PERIOD_DAYS = 366


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "d/m/Y")


def _clean_assignment(unit: Unit, data: dict, documents: list[Document], *, today: datetime.date) -> dict:
    clean = {name: data.get(name) for name in ASSIGNMENT_FIELDS}
    clean["title"] = str(clean["title"] or "").strip()
    clean["text"] = str(clean["text"] or "").strip()
    problems = {}
    if clean["kind"] not in MaterialKind.values:
        problems["kind"] = _("Choose what is to be studied.")
    if not clean["title"]:
        problems["title"] = _("Give the assignment a title.")
    if not clean["text"] and not documents:
        problems["text"] = _("Write the text to study or choose documents of the library.")
    starts_on, ends_on = clean["starts_on"], clean["ends_on"]
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        problems["ends_on"] = _("Give the first and the last day of the study period.")
    elif ends_on < starts_on:
        problems["ends_on"] = _("The last day comes before the first.")
    elif ends_on < today:
        problems["ends_on"] = _("The last day (%(day)s) has passed.") % {"day": _day(ends_on)}
    elif (ends_on - starts_on).days > MAX_PERIOD_DAYS:
        problems["ends_on"] = _("A study period lasts at most a year.")
    for document in documents:
        # What a committee gives its subtree to study must be readable in the whole subtree.
        if not unit.path.startswith(document.unit.path) or document.withdrawn_at is not None:
            problems["documents"] = _("“%(number)s” is not published to the whole of %(unit)s.") % {
                "number": document.number,
                "unit": unit.name,
            }
    if problems:
        raise ValidationError(problems)
    return clean


@transaction.atomic
def assignment_create(
    *, actor: User, unit: Unit, data: dict, documents: list[Document], notify_members: bool = False
) -> StudyAssignment:
    """A new assignment; `notify_members`: each current member of the subtree is told in their inbox and on their
    phone (in the background, once the assignment is saved)."""
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, unit)
    clean = _clean_assignment(unit, data, documents, today=timezone.localdate())
    assignment = StudyAssignment(unit=unit, created_by=actor, **clean)
    assignment.full_clean()
    assignment.save()
    assignment.documents.set(documents)
    creation_log(actor=actor, obj=assignment, unit=unit)
    changed(unit_token(unit.path, STUDY))  # members' homes list what they have to study
    if notify_members:
        enqueue_on_commit("study.tasks.study_assigned_notify_task", assignment.pk)
    return assignment


def _locked(assignment: StudyAssignment) -> StudyAssignment:
    return StudyAssignment.objects.select_for_update().select_related("unit").get(pk=assignment.pk)


@transaction.atomic
def assignment_extend(*, actor: User, assignment: StudyAssignment, ends_on: datetime.date) -> StudyAssignment:
    """A later (or earlier) last day: the committee gives members more time."""
    assignment = _locked(assignment)
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, assignment.unit)
    if assignment.withdrawn_at:
        raise ValidationError(_("The assignment is withdrawn."))
    if ends_on < max(assignment.starts_on, timezone.localdate()):
        raise ValidationError({"ends_on": _("The last day cannot be before today or the first day.")})
    if (ends_on - assignment.starts_on).days > MAX_PERIOD_DAYS:
        raise ValidationError({"ends_on": _("A study period lasts at most a year.")})
    changed(unit_token(assignment.unit.path, STUDY))
    return model_update(assignment, data={"ends_on": ends_on}, actor=actor, unit=assignment.unit)


@transaction.atomic
def assignment_withdraw(*, actor: User, assignment: StudyAssignment, reason: str) -> StudyAssignment:
    """Members no longer see it; their progress and attempts stay."""
    assignment = _locked(assignment)
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, assignment.unit)
    if assignment.withdrawn_at:
        raise ValidationError(_("The assignment is withdrawn already."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the assignment is withdrawn.")})
    changed(unit_token(assignment.unit.path, STUDY))
    return model_update(
        assignment, data={"withdrawn_at": timezone.now()}, actor=actor, unit=assignment.unit, reason=reason.strip()
    )


# ---------------------------------------------------------------- questions


def _require_no_attempts(assignment: StudyAssignment) -> None:
    if QuizAttempt.objects.filter(progress__assignment=assignment).exists():
        raise ValidationError(_("Members have answered the quiz already: its questions can no longer change."))


def question_problems(
    text: str, choices: list[tuple[str, bool]], is_multiple: bool, *, explanation: str = "", right_named: bool = True
) -> list[str]:
    """Everything wrong with one question, in the words of the form and of the file's rows (`right_named`: False
    when the file's row has said already what is wrong with its right answer)."""
    found = []
    if not text.strip():
        found.append(_("The question is missing."))
    elif len(text.strip()) > 1000:
        found.append(_("The question is longer than 1,000 characters."))
    answers = [(answer.strip(), right) for answer, right in choices if answer.strip()]
    if len(answers) < 2:
        found.append(_("Give at least two answers."))
    if len(answers) > MAX_CHOICES:
        found.append(_("At most %(count)s answers.") % {"count": MAX_CHOICES})
    if any(len(answer) > 500 for answer, _right in answers):
        found.append(_("An answer is longer than 500 characters."))
    if len(explanation.strip()) > LONG_TEXT_MAX_LENGTH:
        found.append(
            _("The explanation is longer than %(count)s characters.")
            % {"count": formats.number_format(LONG_TEXT_MAX_LENGTH, force_grouping=True)}
        )
    right = sum(1 for _answer, is_right in answers if is_right)
    if right == 0 and right_named:
        found.append(_("Mark the right answer."))
    elif right > 1 and not is_multiple:
        found.append(_("Only one answer may be right when one answer is chosen: mark the question “more than one”."))
    return found


def _question_save(
    assignment: StudyAssignment, position: int, text: str, choices: list[tuple[str, bool]], is_multiple, explanation
) -> StudyQuestion:
    question = StudyQuestion(
        assignment=assignment,
        position=position,
        text=text.strip(),
        is_multiple=is_multiple,
        explanation=explanation.strip(),
    )
    question.full_clean()
    question.save()
    answers = [
        StudyChoice(question=question, position=number, text=answer, is_correct=right)
        for number, (answer, right) in enumerate(
            [(answer.strip(), right) for answer, right in choices if answer.strip()], start=1
        )
    ]
    for answer in answers:
        answer.full_clean()
    StudyChoice.objects.bulk_create(answers)
    return question


def _question_snapshot(question: StudyQuestion) -> dict:
    """The question as the change log keeps it: its fields and its answers with which are right."""
    return {**snapshot(question), "choices": [[c.text, c.is_correct] for c in question.choices.order_by("position")]}


def _question_log(actor: User, question: StudyQuestion, unit: Unit) -> None:
    change_log(
        actor=actor,
        obj=question,
        action=ChangeAction.CREATE,
        before=None,
        after=_question_snapshot(question),
        unit=unit,
    )


@transaction.atomic
def question_add(
    *,
    actor: User,
    assignment: StudyAssignment,
    text: str,
    choices: list[tuple[str, bool]],
    is_multiple: bool,
    explanation: str = "",
) -> StudyQuestion:
    assignment = _locked(assignment)
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, assignment.unit)
    _require_no_attempts(assignment)
    if found := question_problems(text, choices, is_multiple, explanation=explanation):
        raise ValidationError(found)
    count = assignment.questions.count()
    if count >= MAX_QUESTIONS:
        raise ValidationError(_("A quiz has at most %(count)s questions.") % {"count": MAX_QUESTIONS})
    question = _question_save(assignment, count + 1, text, choices, is_multiple, explanation)
    _question_log(actor, question, assignment.unit)
    changed(unit_token(assignment.unit.path, STUDY))  # with a quiz, studying alone no longer finishes it
    return question


@transaction.atomic
def questions_import(*, actor: User, assignment: StudyAssignment, rows: list) -> int:
    """Questions checked by `question_import.read_questions`, added after those there: all or none."""
    assignment = _locked(assignment)
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, assignment.unit)
    _require_no_attempts(assignment)
    count = assignment.questions.count()
    if count + len(rows) > MAX_QUESTIONS:
        raise ValidationError(_("A quiz has at most %(count)s questions.") % {"count": MAX_QUESTIONS})
    for offset, row in enumerate(rows, start=1):
        question = _question_save(assignment, count + offset, row.text, row.choices, row.is_multiple, row.explanation)
        _question_log(actor, question, assignment.unit)
    changed(unit_token(assignment.unit.path, STUDY))
    return len(rows)


@transaction.atomic
def question_remove(*, actor: User, assignment: StudyAssignment, question_id: int) -> None:
    """Only while nobody has answered: the rest are numbered again."""
    assignment = _locked(assignment)
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, assignment.unit)
    _require_no_attempts(assignment)
    question = assignment.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404
    change_log(
        actor=actor,
        obj=question,
        action=ChangeAction.UPDATE,
        before=_question_snapshot(question),
        after=None,
        reason=_("Question removed before anyone answered"),
        unit=assignment.unit,
    )
    question.delete()
    changed(unit_token(assignment.unit.path, STUDY))
    for position, remaining in enumerate(assignment.questions.order_by("position", "pk"), start=1):
        if remaining.position != position:
            remaining.position = position
            remaining.save(update_fields=["position"])


# ---------------------------------------------------------------- the member's own study


def _member_progress(actor: User, assignment: StudyAssignment) -> StudyProgress:
    """The actor's progress row, made when missing, locked for the rest of the transaction."""
    if not may_study(user=actor, assignment=assignment):
        raise PermissionDenied(_("Only members of the cells this assignment is for study it."))
    try:
        with transaction.atomic():
            StudyProgress.objects.get_or_create(assignment=assignment, member_id=actor.member_id)
    except IntegrityError:  # made at the same moment by another request of the member's: it is there now
        pass
    return StudyProgress.objects.select_for_update().get(assignment=assignment, member_id=actor.member_id)


def _held(assignment: StudyAssignment) -> StudyAssignment:
    """The assignment read again under a shared lock: a member's step or attempt does not wait for another member's,
    but the committee's changes (questions, withdrawal: `_locked`) wait for it, and it for them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(StudyAssignment._meta.db_table)
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR SHARE", [assignment.pk])
    return StudyAssignment.objects.select_related("unit").get(pk=assignment.pk)


def _require_open(assignment: StudyAssignment) -> None:
    today = timezone.localdate()
    if assignment.withdrawn_at is not None:
        raise ValidationError(_("The assignment is withdrawn."))
    if today < assignment.starts_on:
        raise ValidationError(_("The study period starts on %(day)s.") % {"day": _day(assignment.starts_on)})
    if today > assignment.ends_on:
        raise ValidationError(_("The study period ended on %(day)s.") % {"day": _day(assignment.ends_on)})


def _studied_when_complete(progress: StudyProgress, keys: set[str]) -> None:
    """Studied once every part there is now has been read: a document withdrawn from the library since leaves no part
    the member could never tick."""
    if progress.studied_at is None and keys and keys <= set(progress.steps_done):
        progress.studied_at = timezone.now()
        progress.save(update_fields=["studied_at"])


@transaction.atomic
def study_open(*, actor: User, assignment: StudyAssignment) -> StudyProgress | None:
    """The member opens an open assignment: from now on it counts as started. None when they may not study it or
    it is not open."""
    if not may_study(user=actor, assignment=assignment):
        return None
    assignment = _held(assignment)
    if not assignment.is_open_on(timezone.localdate()):
        return StudyProgress.objects.filter(assignment=assignment, member_id=actor.member_id).first()
    progress = _member_progress(actor, assignment)
    _studied_when_complete(progress, {step.key for step in study_steps(assignment=assignment, progress=progress)})
    return progress


@transaction.atomic
def study_step_done(*, actor: User, assignment: StudyAssignment, step: str) -> StudyProgress:
    """The member has read one step; the last one makes the assignment studied. The same step twice changes
    nothing (a phone may send it again when it comes back online)."""
    assignment = _held(assignment)
    _require_open(assignment)
    progress = _member_progress(actor, assignment)
    keys = {item.key for item in study_steps(assignment=assignment, progress=progress)}
    if step not in keys:
        raise ValidationError(_("This assignment has no such part."))
    if step not in progress.steps_done:
        progress.steps_done = [*progress.steps_done, step]
        progress.save(update_fields=["steps_done"])
    _studied_when_complete(progress, keys)
    changed(user_token(actor.pk))
    return progress


def _answer_sets(questions: list[StudyQuestion], answers: dict) -> dict[int, frozenset[int]]:
    """The member's answers, checked: every question answered, only its own choices, one for a single choice."""
    chosen = {}
    unanswered = []
    for number, question in enumerate(questions, start=1):
        raw = answers.get(question.pk) or answers.get(str(question.pk)) or []
        try:
            picked = frozenset(int(value) for value in raw)
        except (TypeError, ValueError):
            raise ValidationError(_("An answer is not one of the question's.")) from None
        own = {choice.pk for choice in question.choices.all()}
        if not picked:
            unanswered.append(str(number))
        elif not picked <= own or (len(picked) > 1 and not question.is_multiple):
            raise ValidationError(_("An answer is not one of the question's."))
        chosen[question.pk] = picked
    if unanswered:
        raise ValidationError(
            _("Answer every question: question %(numbers)s is not answered.") % {"numbers": ", ".join(unanswered)}
        )
    return chosen


ALREADY_SENT = "already_sent"


@transaction.atomic
def quiz_submit(
    *, actor: User, assignment: StudyAssignment, answers: dict, attempt_number: int | None = None
) -> QuizAttempt:
    """One attempt, scored and kept. Refused once the member has passed or used every attempt. `attempt_number`:
    the attempt the member's page was for; when another has been made since (the same answers sent twice by a
    double tap), nothing is scored again (ValidationError with code `ALREADY_SENT`)."""
    assignment = _held(assignment)
    _require_open(assignment)
    progress = _member_progress(actor, assignment)
    if attempt_number is not None and attempt_number != progress.attempts_used + 1:
        raise ValidationError(_("These answers were sent already."), code=ALREADY_SENT)
    questions = questions_of(assignment=assignment)
    if not questions:
        raise ValidationError(_("This assignment has no quiz."))
    if progress.passed_at is not None:
        raise ValidationError(_("You have passed this quiz already."))
    if progress.attempts_used >= assignment.max_attempts:
        raise ValidationError(_("You have used all %(count)s attempts.") % {"count": assignment.max_attempts})
    chosen = _answer_sets(questions, answers)
    keys = [
        QuestionKey(question.pk, frozenset(choice.pk for choice in question.choices.all() if choice.is_correct))
        for question in questions
    ]
    result = score(keys, chosen)
    now = timezone.now()
    attempt = QuizAttempt.objects.create(
        progress=progress,
        number=progress.attempts_used + 1,
        answers={str(question_id): sorted(picked) for question_id, picked in chosen.items()},
        correct=result.correct,
        total=result.total,
        score=result.percent,
        passed=result.passes(assignment.pass_mark),
        submitted_at=now,
    )
    progress.attempts_used = attempt.number
    progress.best_score = max(progress.best_score or 0, attempt.score)
    if attempt.passed:
        progress.passed_at = now
        # Passing shows the material was studied, whether or not every part was ticked.
        progress.studied_at = progress.studied_at or now
    progress.save(update_fields=["attempts_used", "best_score", "passed_at", "studied_at"])
    changed(user_token(actor.pk))
    return attempt


# ---------------------------------------------------------------- the secretary's marks


@transaction.atomic
def marks_record(
    *, actor: User, assignment: StudyAssignment, member_ids: list[int], meeting: Meeting | None = None
) -> int:
    """Members who studied the assignment with their cell (at `meeting` when given) are marked studied by the
    cell's secretary. Returns how many were newly marked; those marked or studied already keep their record."""
    assignment = _held(assignment)
    if assignment.withdrawn_at is not None:
        raise ValidationError(_("The assignment is withdrawn."))
    if not member_ids:
        raise ValidationError(_("Choose the members who studied."))
    members = list(
        Member.objects.filter(pk__in=member_ids, unit__path__startswith=assignment.unit.path).select_related("unit")
    )
    if len(members) != len(set(member_ids)):
        raise Http404
    today = timezone.localdate()
    for member in members:
        require_unit_permission(actor, Permission.MEETING_MANAGE, member.unit)
        if member.status not in CURRENT_STATUSES:
            raise ValidationError(_("%(name)s is no longer on the cell's roll.") % {"name": member.full_name})
        if meeting is not None and meeting.unit_id != member.unit_id:
            raise ValidationError(_("%(name)s is not a member of the meeting's cell.") % {"name": member.full_name})
    if meeting is not None and (
        meeting.cancelled_at is not None
        or not assignment.starts_on <= timezone.localtime(meeting.starts_at).date() <= min(assignment.ends_on, today)
    ):
        raise ValidationError(_("Choose a meeting of the cell held in the study period."))
    if meeting is None and not assignment.starts_on <= today <= assignment.ends_on:
        # After the period, only what a meeting held in it shows may still be recorded.
        raise ValidationError(_("Outside the study period: choose the meeting of the cell where it was studied."))
    marked = 0
    now = timezone.now()
    for member in members:
        progress, created = StudyProgress.objects.select_for_update().get_or_create(
            assignment=assignment, member=member
        )
        if progress.studied_at is not None:
            continue
        before = None if created else snapshot(progress)
        progress.studied_at, progress.marked_by, progress.marked_meeting = now, actor, meeting
        progress.save(update_fields=["studied_at", "marked_by", "marked_meeting"])
        change_log(
            actor=actor,
            obj=progress,
            action=ChangeAction.CREATE if created else ChangeAction.UPDATE,
            before=before,
            after=snapshot(progress),
            reason=_("Studied with the cell"),
            unit=member.unit,
        )
        changed(member_token(member.pk))
        marked += 1
    return marked


def figures_export_log(*, actor: User, assignment: StudyAssignment, unit: Unit, rows: int) -> None:
    """Who exported whose study: a change-log row on the unit exported, as for the registry's exports."""
    change_log(
        actor=actor,
        obj=assignment,
        action=ChangeAction.EXPORT,
        before=None,
        after={"export": "xlsx", "unit": unit.code, "rows": rows},
        reason=_("Study: %(title)s") % {"title": assignment.title[:200]},
        unit=unit,
    )


# Members are reminded from this many days before an assignment's last day.
REMIND_DAYS_BEFORE = 3


def study_send_reminders(*, day: datetime.date | None = None) -> int:
    """The daily reminders (idempotent; run once a day or more). From `REMIND_DAYS_BEFORE` days before an
    assignment's last day to that day, each current member of its subtree with an account who has not finished it
    (studied, and passed when it has a quiz) is reminded once. Returns how many assignments were reminded of."""
    day = day or timezone.localdate()
    soon = day + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    reminded = 0
    due = StudyAssignment.objects.filter(
        withdrawn_at__isnull=True, starts_on__lte=day, ends_on__gte=day, ends_on__lte=soon
    ).select_related("unit")
    for assignment in due:
        finished = StudyProgress.objects.filter(assignment=assignment)
        if assignment.questions.exists():
            finished = finished.filter(passed_at__isnull=False)
        else:
            finished = finished.filter(studied_at__isnull=False)
        recipients = User.objects.filter(
            is_active=True,
            member__unit__path__startswith=assignment.unit.path,
            member__status__in=CURRENT_STATUSES,
        ).exclude(member_id__in=finished.values("member_id"))
        with translation.override("vi"):
            message = Message(
                kind="study.reminder",
                title=_("Study by %(day)s: %(title)s")
                % {"day": _day(assignment.ends_on), "title": assignment.title[:200]},
                body=_("The study period ends on %(day)s.") % {"day": _day(assignment.ends_on)},
                url=reverse("study:assignment", args=[assignment.pk]),
                dedupe_key=f"study.reminder:{assignment.pk}",
            )
        notify(recipients=recipients, message=message)
        reminded += 1
    return reminded
