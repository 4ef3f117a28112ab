from typing import Any, Literal, overload

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    """The controlled vocabularies; each term belongs to exactly one."""

    REGIONAL_GROUP = "regional-group", _("UN regional group")
    STATE = "state", _("State")
    MECHANISM = "mechanism", _("Mechanism or body")
    UPR_CYCLE = "upr-cycle", _("UPR cycle")
    UPR_SESSION = "upr-session", _("UPR session")
    UPR_INFO_ISSUE = "upr-info-issue", _("UPR Info issue")
    ACTION_CATEGORY = "action-category", _("Action category")
    UHRI_THEME = "uhri-theme", _("UHRI theme")
    AFFECTED_PERSONS = "affected-persons", _("Affected persons")
    SDG_GOAL = "sdg-goal", _("SDG goal")
    SDG_TARGET = "sdg-target", _("SDG target")
    THEMATIC_PILLAR = "thematic-pillar", _("Thematic pillar")
    SHIFT = "shift", _("Shift")
    SPOTLIGHT_POPULATION = "spotlight-population", _("Spotlight population")


def reads_russian() -> bool:
    """Whether the page (or document) is being made in Russian."""
    return (get_language() or "en").startswith("ru")


def in_current_language(english: str, russian: str) -> str:
    """A text kept in both languages (``*_en``, ``*_ru``) as the reader reads: the Russian one
    in Russian when there is one, else the English one."""
    return russian if russian and reads_russian() else english


# The texts of a term, each in English and Russian: what vocabulary files give beside the code,
# and what the services strip when a term is edited.
TERM_TEXT_FIELDS = (
    "label_en",
    "label_ru",
    "short_label_en",
    "short_label_ru",
    "description_en",
    "description_ru",
)


class Term(models.Model):
    scheme = models.CharField(_("vocabulary"), max_length=30, choices=Scheme.choices)
    code = models.CharField(_("code"), max_length=100)
    # Long enough for the full text of an SDG target (the longest is about 670 characters).
    label_en = models.CharField(_("label (English)"), max_length=1000)
    label_ru = models.CharField(_("label (Russian)"), max_length=1000, blank=True)
    short_label_en = models.CharField(_("short label (English)"), max_length=200, blank=True)
    short_label_ru = models.CharField(_("short label (Russian)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Other spellings met in imported data ("Russia", "Russian Federation", "- CRC").
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # Code, labels and aliases folded by `taxonomy.normalize.search_key`; written by the services
    # so that searching is case- and accent-insensitive in every language on every database.
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        ordering = ["scheme", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="term_unique_code_per_scheme")
        ]
        indexes = [models.Index(fields=["scheme", "label_en"])]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return self.label

    def _localized(self, base):
        return in_current_language(getattr(self, f"{base}_en"), getattr(self, f"{base}_ru"))

    @property
    def label(self):
        return self._localized("label")

    @property
    def short_label(self):
        return self._localized("short_label") or self.label

    @property
    def description(self):
        return self._localized("description")


@overload
def term_field(
    scheme: Scheme, verbose_name: Any, *, related_name: str = ..., required: Literal[True]
) -> "models.ForeignKey[Term, Term]": ...


@overload
def term_field(
    scheme: Scheme, verbose_name: Any, *, related_name: str = ..., required: Literal[False] = ...
) -> "models.ForeignKey[Term | None, Term | None]": ...


def term_field(
    scheme: Scheme, verbose_name: Any, *, related_name: str = "+", required: bool = False
) -> "models.ForeignKey[Any, Any]":
    """A reference to one term of one vocabulary; a term in use cannot be deleted."""
    return models.ForeignKey(
        Term,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        limit_choices_to={"scheme": scheme},
        related_name=related_name,
        null=not required,
        blank=not required,
    )


def terms_field(
    scheme: Scheme, verbose_name: Any, *, related_name: str = "+"
) -> models.ManyToManyField:
    """Any number of terms of one vocabulary, none required."""
    return models.ManyToManyField(
        Term,
        verbose_name=verbose_name,
        blank=True,
        limit_choices_to={"scheme": scheme},
        related_name=related_name,
    )


class Agency(models.Model):
    """A government agency responsible for measures; focal points belong to one."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    state = term_field(Scheme.STATE, _("state"), related_name="agencies")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_current_language(self.name_en, self.name_ru)


def agency_field(
    verbose_name: Any, *, related_name: str, help_text: Any = ""
) -> "models.ForeignKey[Agency | None, Agency | None]":
    """The government agency someone works for or something speaks for: optional, and an agency
    in use cannot be deleted."""
    return models.ForeignKey(
        Agency,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        help_text=help_text,
    )
