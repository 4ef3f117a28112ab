from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .display import change_rows


class AuditEntry(models.Model):
    """One change to one object: who, when, and each field from what to what."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported")
        PUBLISH = "publish", _("published")
        UNPUBLISH = "unpublish", _("unpublished")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=300)
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # {"field": {"label": "...", "old": "...", "new": "..."}}
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            # The actor filter, newest first, and its choices (core.distinct).
            models.Index(fields=["actor_name", "-at"], name="audit_entry_actor_at"),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        when = f"{self.at:%Y-%m-%d %H:%M} " if self.at else ""
        return f"{when}{self.actor_name or 'system'} {self.action} {self.object_repr}"

    def _content_type(self):
        # Joined content type when the query selected it, else Django's per-process cache.
        if AuditEntry.content_type.is_cached(self):
            return self.content_type
        return ContentType.objects.get_for_id(self.content_type_id)

    @property
    def object_type(self):
        """The changed object's model as "app_label.model", e.g. "accounts.user"."""
        content_type = self._content_type()
        return f"{content_type.app_label}.{content_type.model}"

    @property
    def object_type_label(self):
        model = self._content_type().model_class()
        return str(model._meta.verbose_name) if model is not None else self.object_type

    @property
    def change_rows(self):
        """The changes ready to show: labels and choice values in the current language."""
        return change_rows(self._content_type().model_class(), self.changes)
