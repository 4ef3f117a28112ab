from django.db import models
from django.utils.translation import gettext_lazy as _

from rightstrack.core.model_fields import actor_field
from rightstrack.taxonomy.models import Scheme, term_field, terms_field


class EngagementType(models.TextChoices):
    COUNTRY_OFFICE = "country-office", _("Country/stand-alone office")
    REGIONAL_OFFICE = "regional-office", _("Regional office")
    PEACE_MISSION = "peace-mission", _("Human rights component of a peace mission")
    HUMAN_RIGHTS_ADVISER = "human-rights-adviser", _("Human Rights Adviser")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    """OHCHR's field regions (its geographic sections)."""

    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA_PACIFIC = "asia-pacific", _("Asia and the Pacific")
    EUROPE_CENTRAL_ASIA = "europe-central-asia", _("Europe and Central Asia")
    MIDDLE_EAST_NORTH_AFRICA = "middle-east-north-africa", _("Middle East and North Africa")


class Presence(models.Model):
    """A UN Human Rights field presence, section by section as on OHCHR's country pages."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = term_field(Scheme.STATE, _("country"), related_name="presences")
    title = models.CharField(_("title"), max_length=200)
    role_summary = models.TextField(_("role summary"), blank=True)
    engagement_type = models.CharField(
        _("type of engagement"), max_length=30, choices=EngagementType.choices
    )
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    deployment_start_year = models.PositiveSmallIntegerField(
        _("deployed from (year)"), null=True, blank=True
    )
    deployment_end_year = models.PositiveSmallIntegerField(
        _("deployed until (year)"), null=True, blank=True
    )
    # Blank means "not reported" (the seed leaves both empty), never zero.
    field_offices = models.TextField(_("field offices"), blank=True)
    staff_count = models.IntegerField(_("number of staff"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("annual budget needs"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(_("budget currency"), max_length=3, default="USD")
    areas_of_focus = models.TextField(_("areas of focus"), blank=True)
    partners = models.TextField(_("partners"), blank=True)
    donors = models.TextField(_("donors"), blank=True)
    thematic_pillars = terms_field(Scheme.THEMATIC_PILLAR, _("thematic pillars"))
    shifts = terms_field(Scheme.SHIFT, _("shifts"))
    spotlight_populations = terms_field(Scheme.SPOTLIGHT_POPULATION, _("spotlight populations"))
    last_reviewed = models.DateField(
        _("last reviewed"), null=True, blank=True, help_text=_("Only month and year are shown.")
    )
    contact_division = models.CharField(_("contact division"), max_length=200, blank=True)
    contact_section = models.CharField(_("contact section"), max_length=200, blank=True)
    contact_location = models.CharField(_("contact location"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = actor_field()

    class Meta:
        ordering = ["title"]
        verbose_name = _("field presence")
        verbose_name_plural = _("field presences")
        # The services validate these with messages; the database refuses what slips past them.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(staff_count__isnull=True) | models.Q(staff_count__gte=0),
                name="presence_staff_count_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_amount__isnull=True) | models.Q(budget_amount__gte=0),
                name="presence_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(deployment_start_year__isnull=True)
                | models.Q(deployment_end_year__isnull=True)
                | models.Q(deployment_end_year__gte=models.F("deployment_start_year")),
                name="presence_deployment_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("presences:detail", kwargs={"slug": self.slug})


class FeatureStory(models.Model):
    presence = models.ForeignKey(Presence, on_delete=models.CASCADE, related_name="feature_stories")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("feature story")
        verbose_name_plural = _("feature stories")

    def __str__(self):
        return self.title
