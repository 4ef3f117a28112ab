from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rightstrack.taxonomy.models import Agency, Scheme, term_field


class StatusAssessment(models.TextChoices):
    """How far a measure (or a recommendation) is implemented, as a report assesses it."""

    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially-implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not-implemented", _("Not implemented")


class MeasureStatus(models.TextChoices):
    """A measure's status: the assessment of its latest approved progress report."""

    NO_REPORT = "no-report", _("No approved report yet")
    NOT_STARTED = StatusAssessment.NOT_STARTED.value, StatusAssessment.NOT_STARTED.label
    IN_PROGRESS = StatusAssessment.IN_PROGRESS.value, StatusAssessment.IN_PROGRESS.label
    PARTIALLY_IMPLEMENTED = (
        StatusAssessment.PARTIALLY_IMPLEMENTED.value,
        StatusAssessment.PARTIALLY_IMPLEMENTED.label,
    )
    IMPLEMENTED = StatusAssessment.IMPLEMENTED.value, StatusAssessment.IMPLEMENTED.label
    NOT_IMPLEMENTED = StatusAssessment.NOT_IMPLEMENTED.value, StatusAssessment.NOT_IMPLEMENTED.label


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class ActionPlan(models.Model):
    """A national plan whose measures answer recommendations (e.g. an Interagency Human Rights
    Plan or a National Human Rights Action Plan)."""

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    state = term_field(Scheme.STATE, _("state"), related_name="action_plans", required=True)
    # Blank when the source does not say; never guessed.
    period_start_year = models.PositiveSmallIntegerField(
        _("period from (year)"), null=True, blank=True
    )
    period_end_year = models.PositiveSmallIntegerField(
        _("period until (year)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    adoption_date = models.DateField(_("adoption date"), null=True, blank=True)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    # Whole plans invented for demonstration; shown with an "example" notice.
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:detail", kwargs={"slug": self.slug})

    @property
    def period(self):
        if self.period_start_year and self.period_end_year:
            return f"{self.period_start_year}–{self.period_end_year}"
        return str(self.period_start_year or self.period_end_year or "")


class Measure(models.Model):
    """One measure of a plan: who does what by when, with what budget, answering which
    recommendations."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT, related_name="measures"
    )
    number = models.CharField(_("number"), max_length=30)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    responsible_agencies = models.ManyToManyField(
        Agency, verbose_name=_("responsible agencies"), blank=True, related_name="measures"
    )
    partners = models.TextField(_("partners"), max_length=5000, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("budget amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(_("budget currency"), max_length=3, blank=True)
    budget_source = models.CharField(_("budget source"), max_length=300, blank=True)
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation",
        verbose_name=_("recommendations addressed"),
        blank=True,
        related_name="measures",
    )
    # The assessment of the latest approved report, kept by the progress services when they
    # approve a report (approved reports never change), so that lists can filter, sort and
    # aggregate by status without working it out again for every row.
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=MeasureStatus.choices,
        default=MeasureStatus.NO_REPORT,
        editable=False,
        db_index=True,
    )
    # Raised by every saved edit; an edit made from an older version is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1)
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="measure_unique_number_per_plan"
            )
        ]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("plans:measure", kwargs={"pk": self.pk})


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMI_ANNUAL = "semi-annual", _("Every six months")
    ANNUAL = "annual", _("Annually")


MONTHS_PER_PERIOD = {
    ReportingFrequency.MONTHLY: 1,
    ReportingFrequency.QUARTERLY: 3,
    ReportingFrequency.SEMI_ANNUAL: 6,
    ReportingFrequency.ANNUAL: 12,
}


class Indicator(models.Model):
    """How a measure's progress is measured, and how often it must be reported on."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=500)
    baseline = models.CharField(_("baseline"), max_length=200, blank=True)
    target = models.CharField(_("target"), max_length=200, blank=True)
    current_value = models.CharField(_("current value"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    reporting_frequency = models.CharField(
        _("reporting frequency"),
        max_length=20,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.ANNUAL,
    )
    first_due_date = models.DateField(_("first report due"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["measure", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name
