"""Every write to progress reports, evidence and independent assessments: validated,
permission-checked, atomic and audited.

A report moves draft → submitted → approved, or submitted → returned (with a comment) →
submitted again → …; only drafts and returned reports can be changed.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import Changes, audit_record, audited
from rightstrack.core.roles import Role, can_manage
from rightstrack.core.sanitize import rich_text_from_input
from rightstrack.core.types import User
from rightstrack.core.validation import Errors, PartialInput, check_known_fields
from rightstrack.core.values import a_choice, a_date, a_text, a_url
from rightstrack.notifications.extensions import DigestPart
from rightstrack.notifications.models import Kind as NotificationKind
from rightstrack.notifications.selectors import focal_points_of, managers
from rightstrack.notifications.services import notify
from rightstrack.plans.access import focal_agency_id, may_report_on
from rightstrack.plans.models import Indicator, Measure
from rightstrack.recommendations.imports.records import RowError
from rightstrack.recommendations.imports.service import BatchOutcome, run_batch
from rightstrack.recommendations.models import Document, DocumentKind, ImportBatch, Recommendation
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.selectors import TermResolver

from .access import may_assess, may_edit_report, may_moderate, may_review
from .due import DEFAULT_HORIZON_DAYS, DueItem, due_items
from .evidence import check_upload, safe_file_name
from .followup import FOLLOWUP_FORMAT, FollowUpRow, read_followup_file
from .models import (
    Evidence,
    IndependentAssessment,
    IndicatorValue,
    MechanismAssessment,
    ModerationStatus,
    ProgressReport,
    ReminderLog,
    ReportStatus,
    StatusAssessment,
)
from .statuses import latest_approved_status

REPORT_FIELDS = ("period_start", "period_end", "status_assessment", "narrative", "indicator_values")
REPORT_AUDITED_FIELDS = (
    "period_start",
    "period_end",
    "status_assessment",
    "narrative",
    "status",
    "review_comment",
)
EVIDENCE_AUDITED_FIELDS = ("report", "title", "url", "original_name", "content_type", "size")
ASSESSMENT_FIELDS = ("organisation", "status_assessment", "narrative")
ASSESSMENT_AUDITED_FIELDS = (
    "measure",
    "recommendation",
    *ASSESSMENT_FIELDS,
    "moderation",
    "moderation_comment",
)


#: {indicator id: value reported}, as a form or the API gives them.
IndicatorValues = Mapping[int | str, str | None]


class ReportData(TypedDict, total=False):
    """Fields of a progress report (REPORT_FIELDS); an update changes only the keys given."""

    period_start: datetime.date | str | None
    period_end: datetime.date | str | None
    status_assessment: str
    narrative: str
    indicator_values: IndicatorValues


class AssessmentData(TypedDict, total=False):
    """Fields of an independent assessment (ASSESSMENT_FIELDS)."""

    organisation: str
    status_assessment: str
    narrative: str


def _clean_indicator_values(
    values: IndicatorValues | None, measure: Measure, errors: Errors
) -> dict[Indicator, str]:
    indicators = {indicator.pk: indicator for indicator in measure.indicators.all()}
    cleaned: dict[Indicator, str] = {}
    for key, value in (values or {}).items():
        try:
            indicator = indicators[int(key)]
        except (KeyError, TypeError, ValueError):
            errors.add(
                "indicator_values",
                _("%(key)s is not an indicator of this measure.") % {"key": key},
            )
            continue
        cleaned[indicator] = a_text(
            value, "indicator_values", errors, model=IndicatorValue, name="value"
        )
    return cleaned


def _clean_report(
    data: Mapping[str, Any], *, report: ProgressReport
) -> tuple[dict[str, Any], dict[Indicator, str] | None]:
    given = PartialInput(data, report, REPORT_FIELDS)
    errors = given.errors

    cleaned: dict[str, Any] = {
        "period_start": a_date(given("period_start"), "period_start", errors),
        "period_end": a_date(given("period_end"), "period_end", errors),
        "status_assessment": a_choice(
            given("status_assessment"), StatusAssessment, "status_assessment", errors
        ),
        "narrative": rich_text_from_input(
            a_text(given("narrative"), "narrative", errors, model=ProgressReport)
        ),
    }
    for field in ("period_start", "period_end"):
        if cleaned[field] is None and field not in errors:
            errors.add(field, _("This field is required."))
    start, end = cleaned["period_start"], cleaned["period_end"]
    if start and end and end < start:
        errors.add("period_end", _("The period cannot end before it starts."))
    values = None
    if "indicator_values" in data:
        values = _clean_indicator_values(data["indicator_values"], report.measure, errors)
    errors.raise_if_any()
    return cleaned, values


def _save_values(report: ProgressReport, values: dict[Indicator, str] | None) -> Changes:
    if values is None:
        return {}
    changes: Changes = {}
    existing = {value.indicator_id: value for value in report.indicator_values.all()}
    for indicator, value in values.items():
        current = existing.get(indicator.pk)
        old = current.value if current else None
        if not value:
            if current:
                current.delete()
        elif current:
            current.value = value
            current.save(update_fields=["value"])
        else:
            IndicatorValue.objects.create(report=report, indicator=indicator, value=value)
        if (old or None) != (value or None):
            changes[f"indicator-{indicator.pk}"] = {
                "label": _("%(indicator)s (value)") % {"indicator": indicator.name},
                "old": old,
                "new": value or None,
            }
    return changes


def report_create(
    *, actor: User, measure: Measure, data: ReportData, is_example: bool = False
) -> ProgressReport:
    """Start a draft report on a measure (``indicator_values``: {indicator id: value})."""
    if not may_report_on(actor, measure):
        raise PermissionDenied(
            _("Only focal points of the responsible agencies may report on this measure.")
        )
    report = ProgressReport(
        measure=measure,
        author=actor,
        agency_id=focal_agency_id(actor),
        status=ReportStatus.DRAFT,
        is_example=is_example,
    )
    cleaned, values = _clean_report(data, report=report)
    with audited(actor, report, REPORT_AUDITED_FIELDS, action=AuditEntry.Action.CREATE) as change:
        for name, value in cleaned.items():
            setattr(report, name, value)
        report.save()
        change.add(_save_values(report, values))
    return report


def _require_editable(actor: User, report: ProgressReport) -> None:
    if not report.is_editable_state:
        raise ValidationError({"__all__": [_("Only a draft or a returned report can be changed.")]})
    if not may_edit_report(actor, report):
        raise PermissionDenied(_("You may not change this report."))


def report_update(*, actor: User, report: ProgressReport, data: ReportData) -> ProgressReport:
    _require_editable(actor, report)
    cleaned, values = _clean_report(data, report=report)
    with audited(
        actor,
        report,
        REPORT_AUDITED_FIELDS,
        skip_unchanged=True,
    ) as change:
        for name, value in cleaned.items():
            setattr(report, name, value)
        report.save()
        change.add(_save_values(report, values))
    return report


def _change_status(
    actor: User, report: ProgressReport, *, status: ReportStatus, note: str, **fields: Any
) -> ProgressReport:
    with audited(
        actor,
        report,
        REPORT_AUDITED_FIELDS,
        note=note,
    ):
        report.status = status
        for name, value in fields.items():
            setattr(report, name, value)
        report.save()
    return report


def _authors(report: ProgressReport) -> list[User]:
    """Who hears of a review: the report's author and the focal points of its agency."""
    users = list(focal_points_of(agency_id=report.agency_id))
    if report.author is not None and report.author not in users:
        users.append(report.author)
    return users


def _notify_about(
    report: ProgressReport, kind: NotificationKind, *, users: Iterable[User], actor: User
) -> None:
    notify(
        users=users,
        kind=kind,
        params={"measure": report.measure.number, "title": report.measure.title},
        url=report.get_absolute_url(),
        actor=actor,
    )


def _locked(report: ProgressReport) -> ProgressReport:
    # Re-read under a row lock so two reviewers (or a reviewer and the author) cannot both act
    # on the same state.
    return ProgressReport.objects.select_for_update().select_related("measure").get(pk=report.pk)


def report_submit(*, actor: User, report: ProgressReport) -> ProgressReport:
    """Send a draft or returned report to the coordinators for review."""
    with transaction.atomic():
        report = _locked(report)
        _require_editable(actor, report)
        report = _change_status(
            actor,
            report,
            status=ReportStatus.SUBMITTED,
            note=_("submitted for review"),
            submitted_at=timezone.now(),
        )
        _notify_about(report, NotificationKind.REPORT_SUBMITTED, users=managers(), actor=actor)
        return report


def _require_reviewer(actor: User, report: ProgressReport) -> None:
    if not may_review(actor):
        raise PermissionDenied(_("Only administrators and coordinators review reports."))
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"__all__": [_("Only a submitted report can be reviewed.")]})


def _measure_status_refresh(*, actor: User, measure: Measure) -> str:
    """Set the measure's status to the assessment of its latest approved report (recorded in
    the measure's history when it changes)."""
    with transaction.atomic():
        current = (
            Measure.objects.select_for_update()
            .filter(pk=measure.pk)
            .values_list("status", flat=True)[0]
        )
        latest = latest_approved_status(measure.pk)
        if latest != current:
            Measure.objects.filter(pk=measure.pk).update(status=latest)
            label = str(Measure._meta.get_field("status").verbose_name)
            audit_record(
                actor=actor,
                obj=measure,
                action=AuditEntry.Action.UPDATE,
                changes={"status": {"label": label, "old": current, "new": latest}},
                note=_("status from the latest approved progress report"),
            )
        measure.status = latest
    return latest


def report_approve(*, actor: User, report: ProgressReport, comment: str = "") -> ProgressReport:
    """Accept a submitted report; its status assessment becomes the measure's status if it is
    the latest approved one."""
    errors = Errors()
    comment = a_text(comment, "review_comment", errors, model=ProgressReport)
    errors.raise_if_any()
    with transaction.atomic():
        report = _review(actor, report, ReportStatus.APPROVED, note=_("approved"), comment=comment)
        _measure_status_refresh(actor=actor, measure=report.measure)
        _notify_about(report, NotificationKind.REPORT_APPROVED, users=_authors(report), actor=actor)
        return report


def _review(
    actor: User, report: ProgressReport, status: ReportStatus, *, note: str, comment: str
) -> ProgressReport:
    """A reviewer's decision on a submitted report (in the caller's transaction): the report
    locked, the reviewer checked, the status changed with who decided, when and why."""
    report = _locked(report)
    _require_reviewer(actor, report)
    return _change_status(
        actor,
        report,
        status=status,
        note=note,
        review_comment=comment,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )


def report_return(*, actor: User, report: ProgressReport, comment: str) -> ProgressReport:
    """Send a submitted report back to its authors with what to change."""
    errors = Errors()
    comment = a_text(comment, "review_comment", errors, model=ProgressReport, required=True)
    if "review_comment" in errors:
        errors["review_comment"] = [_("Say what should change before returning the report.")]
    errors.raise_if_any()
    with transaction.atomic():
        report = _review(
            actor, report, ReportStatus.RETURNED, note=_("returned for changes"), comment=comment
        )
        _notify_about(report, NotificationKind.REPORT_RETURNED, users=_authors(report), actor=actor)
        return report


def evidence_add(
    *,
    actor: User,
    report: ProgressReport,
    title: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
) -> Evidence:
    """Attach a link or an uploaded file (checked for type and size) to an editable report."""
    _require_editable(actor, report)
    errors = Errors()
    url = a_url(url, "url", errors, model=Evidence)
    title = a_text(title, "title", errors, model=Evidence)
    if bool(url) == bool(upload):
        errors.add("__all__", _("Give either a link or a file."))
    file_type = None
    if upload is not None:
        messages, file_type = check_upload(upload)
        for message in messages:
            errors.add("file", message)
    errors.raise_if_any()
    evidence = Evidence(report=report, url=url, added_by=actor)
    if upload is not None:
        # check_upload found the file's type, or raise_if_any above has stopped us.
        assert file_type is not None
        evidence.original_name = safe_file_name(upload.name)
        evidence.content_type = file_type.content_type
        evidence.size = upload.size
    evidence.title = title or evidence.original_name or url[:300]
    try:
        with audited(
            actor,
            evidence,
            EVIDENCE_AUDITED_FIELDS,
            action=AuditEntry.Action.CREATE,
        ):
            if upload is not None:
                evidence.file.save(evidence.original_name, upload, save=False)
            evidence.save()
    except Exception:
        # A failed save leaves no stored file behind.
        if evidence.file:
            evidence.file.delete(save=False)
        raise
    return evidence


def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    report = evidence.report
    _require_editable(actor, report)
    stored_name = evidence.file.name if evidence.file else ""
    with audited(actor, evidence, EVIDENCE_AUDITED_FIELDS, action=AuditEntry.Action.DELETE):
        evidence.delete()
        if stored_name:
            storage = Evidence._meta.get_field("file").storage
            transaction.on_commit(lambda: storage.delete(stored_name))


def _assessment_target(measure: Measure | None, recommendation: object, errors: Errors) -> None:
    if bool(measure) == bool(recommendation):
        errors.add("__all__", _("Assess either a measure or a recommendation."))
    if recommendation is not None and not isinstance(recommendation, Recommendation):
        errors.add("recommendation", _("Choose a recommendation."))


def assessment_create(
    *,
    actor: User,
    data: AssessmentData,
    measure: Measure | None = None,
    recommendation: Recommendation | None = None,
    is_example: bool = False,
) -> IndependentAssessment:
    """Record a civil-society assessment of a measure or a recommendation; it waits for a
    coordinator to publish it."""
    if not may_assess(actor):
        raise PermissionDenied(_("Only civil society contributors write independent assessments."))
    errors = Errors()
    check_known_fields(data, ASSESSMENT_FIELDS, errors)
    _assessment_target(measure, recommendation, errors)
    assessment = IndependentAssessment(
        measure=measure,
        recommendation=recommendation,
        organisation=a_text(
            data.get("organisation"),
            "organisation",
            errors,
            model=IndependentAssessment,
            required=True,
        ),
        status_assessment=a_choice(
            data.get("status_assessment"), StatusAssessment, "status_assessment", errors
        ),
        narrative=rich_text_from_input(
            a_text(
                data.get("narrative"),
                "narrative",
                errors,
                model=IndependentAssessment,
                required=True,
            )
        ),
        author=actor,
        is_example=is_example,
    )
    errors.raise_if_any()
    with transaction.atomic():
        with audited(
            actor,
            assessment,
            ASSESSMENT_AUDITED_FIELDS,
            action=AuditEntry.Action.CREATE,
        ):
            assessment.save()
        notify(
            users=managers(),
            kind=NotificationKind.ASSESSMENT_SUBMITTED,
            params={"organisation": assessment.organisation},
            url=reverse("progress:moderation"),
            actor=actor,
        )
    return assessment


def assessment_moderate(
    *, actor: User, assessment: IndependentAssessment, publish: bool, comment: str = ""
) -> IndependentAssessment:
    """Publish an independent assessment, or decline to (with a reason for its author)."""
    if not may_moderate(actor):
        raise PermissionDenied(_("Only administrators and coordinators moderate assessments."))
    errors = Errors()
    comment = a_text(comment, "moderation_comment", errors, model=IndependentAssessment)
    if not publish and not comment:
        errors.add("moderation_comment", _("Say why the assessment is not published."))
    errors.raise_if_any()
    with audited(
        actor,
        assessment,
        ASSESSMENT_AUDITED_FIELDS,
        action=AuditEntry.Action.PUBLISH if publish else AuditEntry.Action.UNPUBLISH,
    ):
        assessment.moderation = ModerationStatus.PUBLISHED if publish else ModerationStatus.REJECTED
        assessment.moderation_comment = comment
        assessment.moderated_by = actor
        assessment.moderated_at = timezone.now()
        assessment.save()
    return assessment


@dataclass(frozen=True)
class Reminder:
    user: User
    items: list[DueItem]
    subject: str
    body: str


def _due_context(user: User, items: list[DueItem], today: datetime.date) -> dict[str, Any]:
    return {
        "user": user,
        "items": items,
        "overdue": [item for item in items if item.is_overdue],
        "upcoming": [item for item in items if not item.is_overdue],
        "today": today,
        "site_url": getattr(settings, "SITE_URL", "").rstrip("/"),
        "site_name": settings.SITE_NAME,
    }


def _reminder_text(user: User, items: list[DueItem], today: datetime.date) -> tuple[str, str]:
    context = _due_context(user, items, today)
    subject = " ".join(render_to_string("progress/email/reminder_subject.txt", context).split())
    return subject, render_to_string("progress/email/reminder_body.txt", context)


class _DueToRemind:
    """What each focal point is to be reminded of on a day: their agency's reports due within
    the horizon or overdue, less what they were already reminded of that day. Read once per
    agency; shared by ``rightstrack remind`` and the daily digest, which record in the same log,
    so neither repeats what the other sent that day."""

    def __init__(self, *, today: datetime.date, horizon_days: int) -> None:
        self.today = today
        self.horizon_days = horizon_days
        self.already = set(
            ReminderLog.objects.filter(sent_on=today).values_list(
                "user_id", "indicator_id", "due_date"
            )
        )
        self.by_agency: dict[int, list[DueItem]] = {}

    def items_for(self, user: User) -> list[DueItem]:
        agency_id = focal_agency_id(user)
        if not agency_id:
            return []
        if agency_id not in self.by_agency:
            measures = Measure.objects.filter(responsible_agencies=agency_id)
            self.by_agency[agency_id] = due_items(
                measures=measures, today=self.today, horizon_days=self.horizon_days
            )
        return [
            item
            for item in self.by_agency[agency_id]
            if (user.pk, item.indicator.pk, item.due_date) not in self.already
        ]

    def record(self, user: User, items: list[DueItem]) -> None:
        ReminderLog.objects.bulk_create(
            [
                ReminderLog(
                    user=user, indicator=item.indicator, due_date=item.due_date, sent_on=self.today
                )
                for item in items
            ]
        )


def reminders_send(
    *,
    today: datetime.date,
    dry_run: bool = False,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    progress: Callable[[list[User]], Iterable[User]] = lambda items: items,
) -> list[Reminder]:
    """E-mail each active focal point (with an address) one message listing their agency's
    reports due within ``horizon_days`` or overdue, leaving out what they were already reminded
    of today. ``dry_run`` sends and records nothing. Returns the reminders (sent or not)."""
    from rightstrack.accounts.models import User

    focal_points = (
        User.objects.filter(role=Role.FOCAL_POINT, is_active=True, agency__isnull=False)
        .exclude(email="")
        .select_related("agency")
        .order_by("agency_id", "username")
    )
    due = _DueToRemind(today=today, horizon_days=horizon_days)
    reminders: list[Reminder] = []
    for user in progress(list(focal_points)):
        items = due.items_for(user)
        if not items:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = _reminder_text(user, items, today)
        reminder = Reminder(user=user, items=items, subject=subject, body=body)
        reminders.append(reminder)
        if dry_run:
            continue
        with transaction.atomic():
            due.record(user, items)
            # Sent inside the transaction: if sending fails, nothing is recorded as sent.
            send_mail(subject, body, None, [user.email])
    return reminders


def due_digest_section(today: datetime.date) -> Callable[[User], DigestPart | None]:
    """The daily digest's part on the reports due: the same items ``reminders_send`` would
    send the focal point today, recorded in the same log when the digest goes."""
    due = _DueToRemind(today=today, horizon_days=DEFAULT_HORIZON_DAYS)

    def part(user: User) -> DigestPart | None:
        items = due.items_for(user)
        if not items:
            return None
        text = render_to_string("progress/email/_due_items.txt", _due_context(user, items, today))
        return DigestPart(
            title=ngettext(
                "%(count)d progress report of %(agency)s is due",
                "%(count)d progress reports of %(agency)s are due",
                len(items),
            )
            % {"count": len(items), "agency": user.agency.name if user.agency else ""},
            text=text.strip("\n") + "\n",
            count=len(items),
            record=lambda: due.record(user, items),
        )

    return part


# ---- Mechanisms' own follow-up assessments ------------------------------------------------

MECHANISM_ASSESSMENT_AUDITED_FIELDS = ("recommendation", "document_symbol", "year", "part", "grade")


#: A follow-up row with the State and the mechanism it names.
ResolvedRow = tuple[FollowUpRow, Term, Term]


def _followup_terms(rows: list[FollowUpRow], errors: list[RowError]) -> list[ResolvedRow]:
    """Each row's State and mechanism as terms; unknown names become row errors."""
    states, mechanisms = TermResolver(Scheme.STATE), TermResolver(Scheme.MECHANISM)
    resolved: list[ResolvedRow] = []
    for row in rows:
        state, mechanism = states.resolve(row.state), mechanisms.resolve(row.body)
        if state is None:
            errors.append(RowError(row.line, _("unknown State “%(name)s”") % {"name": row.state}))
        elif mechanism is None:
            errors.append(
                RowError(row.line, _("unknown Treaty Body “%(code)s”") % {"code": row.body})
            )
        else:
            resolved.append((row, state, mechanism))
    return resolved


def _followup_recommendation(
    row: FollowUpRow, *, state: Term, mechanism: Term, batch: ImportBatch, actor: User | None
) -> tuple[Recommendation, bool]:
    """The recommendation a grade is about: the paragraph of the concluding observations if it
    was imported already, else a record of the paragraph under its subject."""
    document, document_created = Document.objects.get_or_create(
        symbol=row.co_symbol,
        defaults={
            "kind": DocumentKind.CONCLUDING_OBSERVATIONS,
            "mechanism": mechanism,
            "state": state,
            "date": row.co_date,
        },
    )
    if document_created:
        audit_record(
            actor=actor, obj=document, action=AuditEntry.Action.IMPORT, note=FOLLOWUP_FORMAT
        )
    recommendation = (
        Recommendation.objects.filter(document=document, number=row.paragraph).first()
        or Recommendation.objects.filter(source_key=f"doc:{row.co_symbol}#{row.paragraph}").first()
    )
    if recommendation is not None:
        return recommendation, False
    # The follow-up file names the paragraph's subject, not its text; the record says so, and a
    # later import of the full concluding observations can fill the text in.
    recommendation = Recommendation.objects.create(
        source_key=f"doc:{row.co_symbol}#{row.paragraph}",
        state=state,
        mechanism=mechanism,
        document=document,
        number=row.paragraph,
        annotation_type="Concluding observations (subject of a follow-up paragraph)",
        date=row.co_date,
        text=row.title or row.co_symbol,
        import_batch=batch,
    )
    audit_record(
        actor=actor, obj=recommendation, action=AuditEntry.Action.IMPORT, note=FOLLOWUP_FORMAT
    )
    return recommendation, True


def _followup_write(
    resolved: list[ResolvedRow], *, batch: ImportBatch, actor: User | None
) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0, "recommendations": 0}
    for row, state, mechanism in resolved:
        recommendation, created = _followup_recommendation(
            row, state=state, mechanism=mechanism, batch=batch, actor=actor
        )
        counts["recommendations"] += created
        key = f"followup:{row.assessment_symbol}#{row.co_symbol}#{row.paragraph}#{row.part}"
        values: dict[str, Any] = {
            "recommendation": recommendation,
            "mechanism": mechanism,
            "document_symbol": row.assessment_symbol,
            "year": row.year,
            "part": row.part,
            "grade": row.grade,
        }
        assessment = MechanismAssessment.objects.filter(source_key=key).first()
        if assessment is None:
            assessment = MechanismAssessment(source_key=key, import_batch=batch, **values)
            with audited(
                actor,
                assessment,
                MECHANISM_ASSESSMENT_AUDITED_FIELDS,
                action=AuditEntry.Action.IMPORT,
                note=FOLLOWUP_FORMAT,
            ):
                assessment.save(force_insert=True)
            counts["created"] += 1
            continue
        with audited(
            actor,
            assessment,
            MECHANISM_ASSESSMENT_AUDITED_FIELDS,
            note=FOLLOWUP_FORMAT,
            skip_unchanged=True,
        ) as change:
            for name, value in values.items():
                setattr(assessment, name, value)
            if not change.pending():
                counts["unchanged"] += 1
                continue
            assessment.import_batch = batch
            assessment.save()
        counts["updated"] += 1
    return counts


def _followup_work(batch: ImportBatch, path: Path, *, actor: User | None) -> BatchOutcome:
    rows = read_followup_file(path)
    errors = [row for row in rows if isinstance(row, RowError)]
    resolved = _followup_terms([row for row in rows if not isinstance(row, RowError)], errors)
    outcome = BatchOutcome(
        processed=len(rows),
        errors=[error.as_dict() for error in sorted(errors, key=lambda error: error.line or 0)],
        rejected=len(errors),
    )
    if errors:
        return outcome
    counts = _followup_write(resolved, batch=batch, actor=actor)
    outcome.created, outcome.updated = counts["created"], counts["updated"]
    outcome.unchanged = counts["unchanged"]
    outcome.summary = _(
        "%(grades)s grade(s) read; %(recommendations)s paragraph(s) were not in the database and "
        "were recorded under their subject."
    ) % {"grades": len(resolved), "recommendations": counts["recommendations"]}
    return outcome


def followup_import(*, actor: User | None, path: str | Path, dry_run: bool = False) -> ImportBatch:
    """Import a Treaty Body's follow-up grades (A–E) as the mechanism's own assessments.

    One file is one recorded ImportBatch with the life of every import (``run_batch``): a row
    that cannot be read or names an unknown State or body fails the whole file with its line,
    and nothing is written; an unreadable file raises ImportFileError. Importing the same file
    again changes nothing. Returns the batch.
    """
    if actor is not None and not can_manage(actor):
        raise PermissionDenied(_("Only coordinators and administrators may import assessments."))
    file_path = Path(path)
    batch = ImportBatch(
        format=FOLLOWUP_FORMAT, file_name=file_path.name[:300], user=actor, dry_run=dry_run
    )
    return run_batch(
        batch,
        user=actor,
        path=file_path,
        work=lambda batch, path: _followup_work(batch, path, actor=actor),
        offers_skipping=False,
    )
