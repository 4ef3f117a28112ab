from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rightstrack.core.model_fields import actor_field
from rightstrack.plans.models import Indicator, Measure, StatusAssessment
from rightstrack.recommendations.models import import_batch_field
from rightstrack.taxonomy.models import agency_field

from .storage import evidence_storage, evidence_upload_to


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class ProgressReport(models.Model):
    """An agency's account of a measure's progress over a period, reviewed by a coordinator."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    status_assessment = models.CharField(
        _("status assessment"), max_length=30, choices=StatusAssessment.choices
    )
    # Sanitised HTML (see core/sanitize.py), stored clean so it can be shown as is.
    narrative = models.TextField(_("narrative"), max_length=50000, blank=True)
    author = actor_field(_("author"), related_name="progress_reports", blank=False)
    # The agency the report speaks for: its author's, when the author is a focal point.
    agency = agency_field(_("reporting agency"), related_name="progress_reports")
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), max_length=5000, blank=True)
    reviewed_by = actor_field(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        indexes = [
            models.Index(fields=["measure", "status", "-period_end"]),
            models.Index(fields=["status", "submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
            )
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self):
        return f"{self.measure.number}: {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("progress:report", kwargs={"pk": self.pk})

    @property
    def is_editable_state(self):
        return self.status in {ReportStatus.DRAFT, ReportStatus.RETURNED}


class IndicatorValue(models.Model):
    """The value an indicator had at the end of a report's period."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="reported_values"
    )
    value = models.CharField(_("value"), max_length=200)

    class Meta:
        ordering = ["indicator__position", "indicator__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="indicator_value_once_per_report"
            )
        ]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self):
        return f"{self.indicator}: {self.value}"


class Evidence(models.Model):
    """A link or an uploaded file backing a progress report."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(
        _("file"),
        storage=evidence_storage,
        upload_to=evidence_upload_to,
        blank=True,
        max_length=300,
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    added_by = actor_field(blank=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="evidence_link_or_file",
            )
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.title

    @property
    def is_file(self):
        return bool(self.file)


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class IndependentAssessment(models.Model):
    """A civil-society view of a measure or a recommendation, shown beside the official one."""

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="independent_assessments",
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        verbose_name=_("recommendation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="independent_assessments",
    )
    organisation = models.CharField(_("organisation"), max_length=300)
    status_assessment = models.CharField(
        _("status assessment"), max_length=30, choices=StatusAssessment.choices
    )
    narrative = models.TextField(_("narrative"), max_length=50000)
    author = actor_field(_("author"), related_name="independent_assessments", blank=False)
    moderation = models.CharField(
        _("moderation"),
        max_length=20,
        choices=ModerationStatus.choices,
        default=ModerationStatus.PENDING,
    )
    moderation_comment = models.TextField(_("moderation comment"), max_length=5000, blank=True)
    moderated_by = actor_field()
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(measure__isnull=False) & Q(recommendation__isnull=True))
                | (Q(measure__isnull=True) & Q(recommendation__isnull=False)),
                name="assessment_of_measure_or_recommendation",
            )
        ]
        verbose_name = _("independent assessment")
        verbose_name_plural = _("independent assessments")

    def __str__(self):
        target = self.measure or self.recommendation
        return f"{self.organisation}: {target}"[:300]


class ReminderLog(models.Model):
    """That a focal point was reminded of one indicator's due report on one day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(_("due date"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "indicator", "due_date", "sent_on"], name="reminder_once_a_day"
            )
        ]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.sent_on}: {self.user} / {self.indicator} ({self.due_date})"


class FollowUpGrade(models.TextChoices):
    """The grades of the Human Rights Committee's follow-up procedure (and of other Treaty
    Bodies that use the same scale)."""

    A = "A", _("Reply or action largely satisfactory")
    B = "B", _("Reply or action partially satisfactory")
    C = "C", _("Reply or action not satisfactory")
    D = "D", _("No cooperation with the committee")
    E = "E", _("Information or measures contrary to or rejecting the recommendation")


class MechanismAssessment(models.Model):
    """A mechanism's own grade of how a State followed up one of its recommendations, shown
    beside the State's reported status and civil society's assessments."""

    # Stable natural key, so importing the same file twice changes nothing.
    source_key = models.CharField(_("source key"), max_length=300, unique=True)
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="mechanism_assessments",
    )
    mechanism = models.ForeignKey(
        "taxonomy.Term",
        verbose_name=_("mechanism or body"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_symbol = models.CharField(_("assessment document"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year assessed"))
    part = models.CharField(
        _("part of the recommendation"),
        max_length=100,
        blank=True,
        help_text=_('The sub-paragraphs graded, e.g. "(a) and (b)"; empty for the whole.'),
    )
    grade = models.CharField(_("grade"), max_length=1, choices=FollowUpGrade.choices)
    import_batch = import_batch_field(_("import"), related_name="mechanism_assessments")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recommendation", "-year", "part", "pk"]
        verbose_name = _("mechanism assessment")
        verbose_name_plural = _("mechanism assessments")

    def __str__(self):
        part = f" {self.part}" if self.part else ""
        return f"{self.document_symbol} ({self.year}){part}: {self.grade}"
