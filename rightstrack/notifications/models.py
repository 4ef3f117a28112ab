"""A user's notifications (what happened that concerns them) and their notification settings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Category(models.TextChoices):
    """What a notification is about; each user chooses which they are told of."""

    REPORTS = "reports", _("My reports: due, returned and approved")
    REVIEWS = "reviews", _("Items waiting for my review")
    SAVED_SEARCHES = "saved_searches", _("New recommendations matching my saved searches")
    FILES = "files", _("Documents and exports I asked for, when they are ready")


class Kind(models.TextChoices):
    REPORT_SUBMITTED = "report_submitted", _("Report submitted for review")
    REPORT_RETURNED = "report_returned", _("Report returned for changes")
    REPORT_APPROVED = "report_approved", _("Report approved")
    ASSESSMENT_SUBMITTED = "assessment_submitted", _("Assessment awaiting moderation")
    SAVED_SEARCH = "saved_search", _("New recommendations for a saved search")
    FILE_READY = "file_ready", _("A document or export is ready")


CATEGORY_OF = {
    Kind.REPORT_SUBMITTED: Category.REVIEWS,
    Kind.ASSESSMENT_SUBMITTED: Category.REVIEWS,
    Kind.REPORT_RETURNED: Category.REPORTS,
    Kind.REPORT_APPROVED: Category.REPORTS,
    Kind.SAVED_SEARCH: Category.SAVED_SEARCHES,
    Kind.FILE_READY: Category.FILES,
}


def message_for(kind: str, params: dict) -> str:
    """The notification's sentence in the current language (it is stored as its kind and
    parameters, so each reader sees it in theirs)."""
    values = {key: value for key, value in params.items() if isinstance(value, str | int)}
    values.setdefault("measure", "")
    values.setdefault("title", "")
    if kind == Kind.REPORT_SUBMITTED:
        return (
            _("A progress report on measure %(measure)s “%(title)s” awaits your review.") % values
        )
    if kind == Kind.REPORT_RETURNED:
        return (
            _("The progress report on measure %(measure)s “%(title)s” was returned for changes.")
            % values
        )
    if kind == Kind.REPORT_APPROVED:
        return _("The progress report on measure %(measure)s “%(title)s” was approved.") % values
    if kind == Kind.ASSESSMENT_SUBMITTED:
        values.setdefault("organisation", "")
        return _("An independent assessment by %(organisation)s awaits moderation.") % values
    if kind == Kind.SAVED_SEARCH:
        count = int(values.get("count") or 0)
        values.setdefault("name", "")
        return ngettext(
            "%(count)d new recommendation matches your saved search “%(name)s”.",
            "%(count)d new recommendations match your saved search “%(name)s”.",
            count,
        ) % {**values, "count": count}
    if kind == Kind.FILE_READY:
        values.setdefault("name", "")
        return _("%(name)s is ready to download.") % values
    return str(Kind(kind).label) if kind in Kind.values else kind


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # What the sentence names (a measure's number and title, a search's name and count).
    params = models.JSONField(_("details"), default=dict, blank=True)
    # Where to go to act on it (a path on this site).
    url = models.CharField(_("link"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # When the daily digest e-mailed it (or decided not to: the user wants no e-mail).
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["user", "emailed_at"]),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"

    @property
    def message(self) -> str:
        return message_for(self.kind, self.params or {})

    @property
    def category(self) -> str:
        return CATEGORY_OF[Kind(self.kind)]


class NotificationSettings(models.Model):
    """What a user wants to be told of, and whether by a daily e-mail too. A user without a
    row has the defaults: everything, with the e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    reports = models.BooleanField(Category.REPORTS.label, default=True)
    reviews = models.BooleanField(Category.REVIEWS.label, default=True)
    saved_searches = models.BooleanField(Category.SAVED_SEARCHES.label, default=True)
    files = models.BooleanField(Category.FILES.label, default=True)
    email_digest = models.BooleanField(
        _("A daily e-mail digest of what is due and what happened"), default=True
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)

    def wants(self, category: str) -> bool:
        return bool(getattr(self, str(category)))
