"""Writes of notifications: tell users of something (as their settings allow), mark read,
change the settings, and send the daily digest (the sections the apps register plus the
notifications not e-mailed yet, in one e-mail per user)."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rightstrack.core.types import AnyUser, User
from rightstrack.jobs.models import Job, started_by

from .extensions import DigestPart, digest
from .models import CATEGORY_OF, Kind, Notification, NotificationSettings
from .selectors import settings_for


def notify(
    *,
    users: Iterable[User],
    kind: Kind,
    params: dict[str, Any],
    url: str,
    actor: AnyUser | None = None,
) -> int:
    """Tell each of these users (active, not the ``actor`` who did it, and wanting this
    category) of something in-app; the daily digest e-mails it. Returns how many were told."""
    category = CATEGORY_OF[kind]
    ids = {user.pk for user in users if user.is_active}
    if actor is not None and actor.is_authenticated:
        ids.discard(actor.pk)
    if not ids:
        return 0
    unwilling = set(
        NotificationSettings.objects.filter(user_id__in=ids, **{str(category): False}).values_list(
            "user_id", flat=True
        )
    )
    notifications = [
        Notification(user_id=pk, kind=kind, params=params, url=url[:1000])
        for pk in sorted(ids - unwilling)
    ]
    Notification.objects.bulk_create(notifications)
    return len(notifications)


def notification_open(*, user: AnyUser, pk: int) -> Notification:
    """The user's notification, marked read (opening it is reading it)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("This is not one of your notifications."))
    notification = Notification.objects.filter(pk=pk, user=user).first()
    if notification is None:
        raise PermissionDenied(_("This is not one of your notifications."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_read(*, user: AnyUser) -> int:
    """Mark all the user's notifications read; returns how many were unread."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


class SettingsData(TypedDict, total=False):
    reports: bool
    reviews: bool
    saved_searches: bool
    email_digest: bool


SETTINGS_FIELDS = ("reports", "reviews", "saved_searches", "email_digest")


def notification_settings_update(*, user: AnyUser, data: SettingsData) -> NotificationSettings:
    """Save what the user wants to be told of (the keys given; the others keep their value)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to choose your notifications."))
    with transaction.atomic():
        current = settings_for(user=user)
        for name in SETTINGS_FIELDS:
            if name in data:
                setattr(current, name, bool(data[name]))  # type: ignore[literal-required]
        current.full_clean()
        current.save()
    return current


@dataclass(frozen=True)
class Digest:
    user: User
    subject: str
    body: str
    parts: list[DigestPart]
    notifications: list[Notification]

    @property
    def items(self) -> int:
        return sum(part.count for part in self.parts) + len(self.notifications)


def _digest_recipients() -> list[User]:
    from rightstrack.accounts.models import User

    return list(
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(Q(notification_settings__email_digest=False))
        .select_related("agency", "notification_settings")
        .order_by("pk")
    )


def _wants(user: User, category: str) -> bool:
    try:
        chosen = user.notification_settings  # type: ignore[attr-defined]
    except NotificationSettings.DoesNotExist:
        return True
    return bool(chosen.wants(category))


def digest_send(
    *,
    today: datetime.date,
    dry_run: bool = False,
    sections: Iterable[str] | None = None,
    notifications: bool = True,
    progress: Callable[[list[User]], Iterable[User]] = lambda users: users,
) -> list[Digest]:
    """E-mail each active user with an address who wants the digest one message: the parts of
    the registered ``sections`` (all by default) they want, and their notifications not
    e-mailed yet (unless ``notifications`` is False). Nothing is sent twice: each part records
    what it listed, and notifications are marked e-mailed. ``dry_run`` sends and records
    nothing. Returns the digests (sent or not)."""
    wanted = [
        section
        for key, section in digest.sections.items()
        if sections is None or key in set(sections)
    ]
    starts = [(section, section.start(today)) for section in wanted]
    site = {
        "site_url": getattr(settings, "SITE_URL", "").rstrip("/"),
        "site_name": settings.SITE_NAME,
    }
    digests: list[Digest] = []
    for user in progress(_digest_recipients()):
        parts = [
            part
            for section, part_for in starts
            if _wants(user, section.category) and (part := part_for(user)) is not None
        ]
        pending = (
            list(
                Notification.objects.filter(user_id=user.pk, emailed_at__isnull=True).order_by(
                    "created_at", "pk"
                )
            )
            if notifications
            else []
        )
        if not parts and not pending:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {"user": user, "parts": parts, "notifications": pending, **site}
            context["count"] = sum(part.count for part in parts) + len(pending)
            subject = " ".join(
                render_to_string("notifications/email/digest_subject.txt", context).split()
            )
            body = render_to_string("notifications/email/digest_body.txt", context)
        digests.append(
            Digest(user=user, subject=subject, body=body, parts=parts, notifications=pending)
        )
        if dry_run:
            continue
        with transaction.atomic():
            for part in parts:
                part.record()
            Notification.objects.filter(pk__in=[item.pk for item in pending]).update(
                emailed_at=timezone.now()
            )
            # Sent inside the transaction: if sending fails, nothing is recorded as sent.
            send_mail(subject, body, None, [user.email])
    return digests


def notify_file_ready(job: Job) -> int:
    """Tell the user who asked for a job's file (a document, an export) that it is ready to
    download: the notification links to the job's page."""
    user = started_by(job)
    if user is None:
        return 0
    return notify(
        users=[user],
        kind=Kind.FILE_READY,
        params={"name": job.file_name},
        url=reverse("jobs:file", kwargs={"pk": job.pk}),
    )
