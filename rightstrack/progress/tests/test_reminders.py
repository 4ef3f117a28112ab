import datetime

import pytest
from django.core.management import call_command

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.core.roles import Role
from rightstrack.plans.tests.factories import IndicatorFactory, MeasureFactory
from rightstrack.progress.due import due_items
from rightstrack.progress.models import ReminderLog, ReportStatus
from rightstrack.progress.services import reminders_send

from .factories import ReportFactory

TODAY = datetime.date(2024, 7, 10)


# The focal point's agency's measures: (key, number, title, indicator, frequency, first due date).
AGENCY_MEASURES = [
    ("late", "1", "Late measure", "Trainings", "quarterly", datetime.date(2024, 3, 31)),
    ("soon", "2", "Soon measure", "Offices", "monthly", datetime.date(2024, 7, 31)),
    ("met", "3", "Met measure", "Laws", "annual", datetime.date(2024, 6, 30)),
    ("far", "4", "Far measure", "Visits", "annual", datetime.date(2024, 12, 31)),
]


@pytest.fixture
def schedule(plan, agency, other_agency):
    """For the focal point's agency: one overdue and one upcoming report, one met, one far off."""
    measures = {}
    for key, number, title, indicator, frequency, first_due in AGENCY_MEASURES:
        measures[key] = MeasureFactory(plan=plan, number=number, title=title, agencies=[agency])
        IndicatorFactory(
            measure=measures[key],
            name=indicator,
            reporting_frequency=frequency,
            first_due_date=first_due,
        )
    ReportFactory(
        measure=measures["met"],
        status=ReportStatus.SUBMITTED,
        period_start=datetime.date(2023, 7, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    other = MeasureFactory(plan=plan, number="5", title="Other agency", agencies=[other_agency])
    IndicatorFactory(measure=other, first_due_date=datetime.date(2024, 6, 30))
    return {**measures, "other": other}


@pytest.mark.django_db
def test_it_lists_overdue_and_upcoming_reports_of_the_agency(schedule, agency):
    from rightstrack.plans.models import Measure

    items = due_items(measures=Measure.objects.filter(responsible_agencies=agency), today=TODAY)
    assert [(item.measure.number, item.due_date, item.is_overdue) for item in items] == [
        ("1", datetime.date(2024, 3, 31), True),
        ("2", datetime.date(2024, 7, 31), False),
    ]
    assert items[0].days_overdue == 101


@pytest.mark.django_db
def test_it_counts_a_draft_report_as_not_reported(schedule, agency):
    from rightstrack.plans.models import Measure

    ReportFactory(
        measure=schedule["late"],
        status=ReportStatus.DRAFT,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 3, 31),
    )
    items = due_items(measures=Measure.objects.filter(pk=schedule["late"].pk), today=TODAY)
    assert [item.due_date for item in items] == [datetime.date(2024, 3, 31)]


@pytest.mark.django_db
def test_it_emails_each_focal_point_once_a_day(users, schedule, mailoutbox):
    colleague = UserFactory(role=Role.FOCAL_POINT, agency=users["focal_point"].agency)
    UserFactory(role=Role.FOCAL_POINT, agency=users["focal_point"].agency, email="")
    UserFactory(role=Role.FOCAL_POINT, agency=users["focal_point"].agency, is_active=False)

    sent = reminders_send(today=TODAY)
    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == sorted(
        [users["focal_point"].email, colleague.email, users["outsider"].email]
    )
    own = next(m for m in mailoutbox if m.to == [users["focal_point"].email])
    assert "2 progress reports due" in own.subject
    assert "Late measure" in own.body and "Soon measure" in own.body
    assert "Met measure" not in own.body and "Far measure" not in own.body
    assert "Other agency" not in own.body
    assert len(sent) == 3
    assert ReminderLog.objects.count() == 5

    assert reminders_send(today=TODAY) == []
    assert len(mailoutbox) == 3

    reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert len(mailoutbox) == 6


@pytest.mark.django_db
def test_it_reminds_of_a_new_item_the_same_day_without_repeating_the_old(
    users, schedule, mailoutbox, plan, agency
):
    reminders_send(today=TODAY)
    mailoutbox.clear()
    new = MeasureFactory(plan=plan, number="9", title="New measure", agencies=[agency])
    IndicatorFactory(measure=new, name="New", first_due_date=datetime.date(2024, 7, 20))
    reminders_send(today=TODAY)
    assert [message.to for message in mailoutbox] == [[users["focal_point"].email]]
    assert "New measure" in mailoutbox[0].body
    assert "Late measure" not in mailoutbox[0].body


@pytest.mark.django_db
def test_the_command_sends_once_a_day_and_a_dry_run_sends_and_records_nothing(
    users, schedule, mailoutbox, capsys
):
    call_command("remind", "--dry-run", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "would send to focal_point@example.org" in out
    assert "Late measure" in out
    assert mailoutbox == [] and not ReminderLog.objects.exists()

    call_command("remind", "--today", TODAY.isoformat(), "--no-progress")
    call_command("remind", "--today", TODAY.isoformat(), "--no-progress")
    assert len(mailoutbox) == 2
    assert "sent 0 reminder(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_command_refuses_a_malformed_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("remind", "--today", "10/07/2024")
