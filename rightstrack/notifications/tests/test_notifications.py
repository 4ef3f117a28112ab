"""Notifications: the list, opening one, marking read, the settings; the digest as a periodic
job the worker starts by itself."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.core.roles import Role
from rightstrack.jobs.models import Job
from rightstrack.jobs.services import jobs_start_periodic
from rightstrack.notifications.jobs import DIGEST_JOB
from rightstrack.notifications.models import Kind, Notification, NotificationSettings
from rightstrack.notifications.selectors import notification_list
from rightstrack.notifications.services import notify

pytestmark = pytest.mark.django_db


def _tell(user, **params):
    notify(
        users=[user],
        kind=Kind.SAVED_SEARCH,
        params={"name": "Torture", "count": 3, **params},
        url="/recommendations/?q=torture",
    )


def test_it_lists_a_users_own_notifications_and_opens_one(client):
    user, other = UserFactory(), UserFactory()
    _tell(user)
    _tell(other, name="Someone else's")
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "3 new recommendations match your saved search “Torture”." in page
    assert "Someone else" not in page
    # The account menu counts the unread one.
    assert "unread notifications: </span>1</span>" in page
    assert "unread: </span>1</span>" in page
    mine = Notification.objects.get(user=user)
    opened = client.get(reverse("notifications:open", kwargs={"pk": mine.pk}))
    assert opened.status_code == 302 and opened["Location"] == "/recommendations/?q=torture"
    mine.refresh_from_db()
    assert mine.read_at is not None
    theirs = Notification.objects.get(user=other)
    assert client.get(reverse("notifications:open", kwargs={"pk": theirs.pk})).status_code == 403
    assert client.get(reverse("notifications:list")).status_code == 200


def test_it_marks_all_read_and_needs_a_signed_in_user(client):
    user = UserFactory()
    _tell(user)
    _tell(user, name="Death penalty")
    assert client.get(reverse("notifications:list")).status_code == 302
    client.force_login(user)
    client.post(reverse("notifications:mark-read"))
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_it_saves_what_a_user_wants_to_be_told_of(client):
    user = UserFactory(role=Role.COORDINATOR)
    client.force_login(user)
    response = client.post(
        reverse("notifications:settings"), {"reports": "on", "saved_searches": "on"}
    )
    assert response.status_code == 302
    chosen = NotificationSettings.objects.get(user=user)
    assert (chosen.reports, chosen.reviews, chosen.saved_searches, chosen.email_digest) == (
        True,
        False,
        True,
        False,
    )
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'name="reviews"' in page and 'name="reviews" id="id_reviews" checked' not in page
    _tell(user)
    assert Notification.objects.filter(user=user).count() == 1
    NotificationSettings.objects.filter(user=user).update(saved_searches=False)
    _tell(user)
    assert Notification.objects.filter(user=user).count() == 1


def test_it_shows_each_notification_in_the_readers_language(client):
    user = UserFactory()
    _tell(user)
    client.force_login(user)
    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Torture" in page and "3 new recommendations" not in page


def test_the_worker_starts_the_digest_once_a_day():
    now = timezone.now()
    started = jobs_start_periodic(now=now)
    digest = [job for job in started if job.kind == DIGEST_JOB]
    assert len(digest) == 1 and digest[0].status == Job.Status.SUCCEEDED
    assert not [job for job in jobs_start_periodic(now=now) if job.kind == DIGEST_JOB]
    later = now + datetime.timedelta(hours=23)
    assert not [job for job in jobs_start_periodic(now=later) if job.kind == DIGEST_JOB]
    Job.objects.filter(kind=DIGEST_JOB).update(
        created_at=now - datetime.timedelta(days=1, minutes=1)
    )
    assert [job.kind for job in jobs_start_periodic(now=now)].count(DIGEST_JOB) == 1


def test_it_lists_a_users_notifications_from_an_index_on_postgresql():
    """The page's order (unread first, then by when read, newest first) has an index on
    PostgreSQL (migration 0003), so a user with many notifications is not sorted whole."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot sort an index with NULLS FIRST; it sorts a user's rows")
    user = UserFactory()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = notification_list(user=user)[:25].query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notifications_user_unread_first" in plan
    assert "Sort" not in plan
