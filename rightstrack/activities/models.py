from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rightstrack.core.model_fields import actor_field
from rightstrack.presences.models import Presence
from rightstrack.taxonomy.models import Scheme, term_field, terms_field


class OrganizationKind(models.TextChoices):
    UN_AGENCY = "un-agency", _("UN agency")
    GOVERNMENT = "government", _("Government")
    INTERNATIONAL_ORGANIZATION = (
        "international-organization",
        _("International or regional organization"),
    )
    NGO = "ngo", _("NGO or civil society")
    BAR_ASSOCIATION = "bar-association", _("Bar association")
    NHRI = "nhri", _("National human rights institution")
    DONOR_FUND = "donor-fund", _("Donor fund")


class Organization(models.Model):
    """A partner or donor, shared by every presence's activities."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganizationKind.choices)
    country = term_field(Scheme.STATE, _("country"))
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # One organization per name whatever its case, so partners are not split in two.
            models.UniqueConstraint(Lower("name"), name="organization_unique_name"),
        ]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:organization", kwargs={"pk": self.pk})


class ActivityType(models.TextChoices):
    TRAINING = "training", _("Training or capacity building")
    TECHNICAL_ADVICE = "technical-advice", _("Technical advice or legal review")
    DIALOGUE = "dialogue", _("Dialogue or consultation")
    ASSESSMENT = "assessment", _("Assessment or research")
    ADVOCACY = "advocacy", _("Advocacy")
    OTHER = "other", _("Other")


def _not_negative(field):
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})


class Activity(models.Model):
    """A piece of the field presence's own work: a training, advice, a dialogue, …"""

    presence = models.ForeignKey(
        Presence,
        verbose_name=_("field presence"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    type = models.CharField(_("type"), max_length=30, choices=ActivityType.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # Either date may be unknown (a focus area described without dates keeps both blank).
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    partners = models.ManyToManyField(
        Organization, verbose_name=_("partners"), blank=True, related_name="activities_as_partner"
    )
    donors = models.ManyToManyField(
        Organization, verbose_name=_("donors"), blank=True, related_name="activities_as_donor"
    )
    target_populations = terms_field(Scheme.SPOTLIGHT_POPULATION, _("target spotlight populations"))
    target_affected_persons = terms_field(Scheme.AFFECTED_PERSONS, _("target affected persons"))
    thematic_pillars = terms_field(Scheme.THEMATIC_PILLAR, _("thematic pillars"))
    # Null means "not reported", never zero.
    participants_total = models.IntegerField(_("participants (total)"), null=True, blank=True)
    participants_women = models.IntegerField(_("participants (women)"), null=True, blank=True)
    participants_men = models.IntegerField(_("participants (men)"), null=True, blank=True)
    participants_with_disabilities = models.IntegerField(
        _("participants (persons with disabilities)"), null=True, blank=True
    )
    outputs = models.TextField(_("outputs"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    cost_amount = models.DecimalField(
        _("cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    cost_currency = models.CharField(_("cost currency"), max_length=3, default="USD")
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation",
        verbose_name=_("recommendations supported"),
        blank=True,
        related_name="activities",
    )
    measures = models.ManyToManyField(
        "plans.Measure",
        verbose_name=_("plan measures supported"),
        blank=True,
        related_name="activities",
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = actor_field()

    class Meta:
        ordering = ["-start_date", "title", "pk"]
        indexes = [
            models.Index(fields=["presence", "is_published"]),
            models.Index(fields=["start_date"]),
        ]
        # The services validate these with messages per field; the database refuses what slips
        # past them.
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=_not_negative("participants_total")
                & _not_negative("participants_women")
                & _not_negative("participants_men")
                & _not_negative("participants_with_disabilities"),
                name="activity_participants_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(participants_total__isnull=True)
                | Q(participants_women__isnull=True)
                | Q(participants_men__isnull=True)
                | Q(participants_total__gte=F("participants_women") + F("participants_men")),
                name="activity_women_and_men_within_total",
            ),
            models.CheckConstraint(
                condition=Q(participants_total__isnull=True)
                | Q(participants_with_disabilities__isnull=True)
                | Q(participants_total__gte=F("participants_with_disabilities")),
                name="activity_disabilities_within_total",
            ),
            models.CheckConstraint(
                condition=_not_negative("cost_amount"), name="activity_cost_not_negative"
            ),
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:detail", kwargs={"pk": self.pk})
