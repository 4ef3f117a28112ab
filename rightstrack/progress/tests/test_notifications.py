"""Progress tells people what concerns them: reports to review, returned and approved,
assessments to moderate; and the daily digest lists a focal point's reports due."""

import datetime

import pytest
from django.core.management import call_command

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.core.roles import Role
from rightstrack.notifications.models import Kind, Notification, NotificationSettings
from rightstrack.notifications.services import digest_send, notify
from rightstrack.plans.tests.factories import IndicatorFactory, MeasureFactory
from rightstrack.progress import services
from rightstrack.progress.models import ReminderLog, ReportStatus

from .factories import ReportFactory

REPORT = {
    "period_start": "2024-01-01",
    "period_end": "2024-03-31",
    "status_assessment": "in-progress",
    "narrative": "Forty judges trained.",
}
TODAY = datetime.date(2024, 7, 10)


def told(user):
    notifications = Notification.objects.filter(user=user).order_by("created_at", "pk")
    return [(item.kind, item.message) for item in notifications]


@pytest.mark.django_db
def test_it_tells_reviewers_of_a_submitted_report_and_authors_of_its_review(users, measure):
    focal_point, coordinator = users["focal_point"], users["coordinator"]
    colleague = UserFactory(role=Role.FOCAL_POINT, agency=focal_point.agency)
    report = services.report_create(actor=focal_point, measure=measure, data=REPORT)
    services.report_submit(actor=focal_point, report=report)
    message = "A progress report on measure 1.1 “Train judges” awaits your review."
    assert told(coordinator) == [(Kind.REPORT_SUBMITTED, message)]
    assert told(users["administrator"]) == [(Kind.REPORT_SUBMITTED, message)]
    assert told(focal_point) == [] and told(users["viewer"]) == []

    services.report_return(actor=coordinator, report=report, comment="Add numbers.")
    returned = "The progress report on measure 1.1 “Train judges” was returned for changes."
    assert told(focal_point) == [(Kind.REPORT_RETURNED, returned)]
    assert told(colleague) == [(Kind.REPORT_RETURNED, returned)]
    assert told(users["outsider"]) == []
    # The reviewer is not told of what they did themselves.
    assert len(told(coordinator)) == 1

    services.report_submit(actor=focal_point, report=report)
    services.report_approve(actor=coordinator, report=report)
    assert told(focal_point)[-1] == (
        Kind.REPORT_APPROVED,
        "The progress report on measure 1.1 “Train judges” was approved.",
    )


@pytest.mark.django_db
def test_it_tells_moderators_of_a_new_assessment(users, measure):
    services.assessment_create(
        actor=users["civil_society"],
        measure=measure,
        data={
            "organisation": "Legal Aid NGO",
            "status_assessment": "in-progress",
            "narrative": "x",
        },
    )
    assert told(users["coordinator"]) == [
        (Kind.ASSESSMENT_SUBMITTED, "An independent assessment by Legal Aid NGO awaits moderation.")
    ]


@pytest.mark.django_db
def test_it_tells_nobody_of_what_they_turned_off(users, measure):
    NotificationSettings.objects.create(user=users["coordinator"], reviews=False)
    report = services.report_create(actor=users["focal_point"], measure=measure, data=REPORT)
    services.report_submit(actor=users["focal_point"], report=report)
    assert told(users["coordinator"]) == []
    assert len(told(users["administrator"])) == 1


@pytest.fixture
def due(plan, agency):
    late = MeasureFactory(plan=plan, number="1", title="Late measure", agencies=[agency])
    IndicatorFactory(
        measure=late, reporting_frequency="quarterly", first_due_date=datetime.date(2024, 3, 31)
    )
    return late


@pytest.mark.django_db
def test_the_digest_lists_reports_due_and_notifications_once(users, due, mailoutbox):
    focal_point = users["focal_point"]
    report = ReportFactory(measure=due, agency=focal_point.agency, status=ReportStatus.RETURNED)
    notify(
        users=[focal_point],
        kind=Kind.REPORT_RETURNED,
        params={"measure": "1", "title": "Late measure"},
        url=report.get_absolute_url(),
    )
    digests = digest_send(today=TODAY)
    mine = [message for message in mailoutbox if message.to == [focal_point.email]]
    assert len(mine) == 1
    body = mine[0].body
    assert "Your daily digest: 2 items" in mine[0].subject
    assert "1 progress report of Own agency is due" in body
    assert "Late measure" in body and "due 2024-03-31" in body
    assert "was returned for changes" in body
    assert f"/progress/reports/{report.pk}/" in body
    assert "/notifications/" in body
    # The outsider's agency has nothing due and they were told of nothing: no e-mail.
    assert not [message for message in mailoutbox if message.to == [users["outsider"].email]]
    assert {digest.user for digest in digests} == {focal_point}
    assert ReminderLog.objects.filter(user=focal_point).count() == 1
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # The same day again: nothing new, nothing sent; remind sends nothing the digest sent.
    assert digest_send(today=TODAY) == []
    assert services.reminders_send(today=TODAY) == []
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_digest_respects_each_users_settings(users, due, mailoutbox):
    NotificationSettings.objects.create(user=users["focal_point"], email_digest=False)
    assert digest_send(today=TODAY) == []
    settings = NotificationSettings.objects.get(user=users["focal_point"])
    settings.email_digest, settings.reports = True, False
    settings.save()
    assert digest_send(today=TODAY) == []
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_digest_command_dry_run_sends_and_records_nothing(users, due, mailoutbox, capsys):
    call_command("digest", "--dry-run", "--today", TODAY.isoformat(), "--no-progress")
    out = capsys.readouterr().out
    assert "would send to focal_point@example.org" in out and "Late measure" in out
    assert mailoutbox == [] and not ReminderLog.objects.exists()
    call_command("digest", "--today", TODAY.isoformat(), "--no-progress")
    assert len(mailoutbox) == 1
    assert "sent 1 digest(s) listing 1 item(s)" in capsys.readouterr().out
