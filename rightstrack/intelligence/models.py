from django.db import models
from django.utils.translation import gettext_lazy as _

from rightstrack.core.model_fields import actor_field
from rightstrack.recommendations.models import import_batch_field
from rightstrack.taxonomy.models import Scheme, term_field


class SuggestionRun(models.Model):
    """One run of a trained tagger over recommendations: which model suggested what, when.

    The suggestions themselves are ``RecommendationTag`` rows (source machine, status suggested);
    a run records the model they came from, so a reviewer can tell how a suggestion was made.
    """

    scheme = models.CharField(_("tagging scheme"), max_length=40)
    model_file = models.CharField(_("model file"), max_length=500)
    model_trained_at = models.DateTimeField(_("model trained"), null=True, blank=True)
    # A digest of the saved model, so two runs with the same file name can be told apart.
    model_digest = models.CharField(_("model digest"), max_length=64, blank=True)
    # None: the model's own decisions (thresholds tuned by cross-validation when trained).
    min_confidence = models.FloatField(_("lowest confidence suggested"), null=True, blank=True)
    import_batch = import_batch_field(_("import batch"))
    state = term_field(Scheme.STATE, _("state under review"))
    started_by = actor_field(_("started by"))
    recommendations = models.PositiveIntegerField(_("recommendations read"), default=0)
    skipped = models.PositiveIntegerField(_("already tagged, skipped"), default=0)
    created = models.PositiveIntegerField(_("suggestions created"), default=0)
    updated = models.PositiveIntegerField(_("suggestions updated"), default=0)
    withdrawn = models.PositiveIntegerField(_("suggestions withdrawn"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    #: Not stored: set by suggest_tags on the runs it returns, the labels the vocabulary lacks.
    unknown_labels: int = 0

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("suggestion run")
        verbose_name_plural = _("suggestion runs")

    def __str__(self):
        return f"{self.scheme} {self.started_at:%Y-%m-%d %H:%M}" if self.started_at else self.scheme
