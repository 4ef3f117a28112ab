from datetime import date

from rightstrack.plans.schedule import add_months, due_dates, next_due_date


def test_it_adds_months_keeping_the_day_or_the_last_day_of_shorter_months():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)
    assert add_months(date(2024, 3, 31), -3) == date(2023, 12, 31)


def test_it_lists_due_dates_from_the_first_one_and_stops_at_the_measure_due_date():
    dates = due_dates(
        first_due_date=date(2024, 1, 31), frequency="monthly", until=date(2024, 4, 15)
    )
    assert dates == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]


def test_it_counts_a_report_towards_the_due_date_its_period_reaches():
    first = date(2024, 3, 31)
    kwargs = {"first_due_date": first, "frequency": "quarterly", "measure_due_date": None}
    assert next_due_date(**kwargs, last_reported_until=None) == date(2024, 3, 31)
    assert next_due_date(**kwargs, last_reported_until=date(2024, 3, 31)) == date(2024, 6, 30)
    assert next_due_date(**kwargs, last_reported_until=date(2024, 3, 15)) == date(2024, 6, 30)
    assert next_due_date(**kwargs, last_reported_until=date(2023, 12, 31)) == date(2024, 3, 31)


def test_it_accepts_a_report_on_a_quarter_for_a_due_date_after_the_quarter():
    kwargs = {
        "first_due_date": date(2024, 4, 15),
        "frequency": "quarterly",
        "measure_due_date": None,
    }
    assert next_due_date(**kwargs, last_reported_until=date(2024, 3, 31)) == date(2024, 7, 15)


def test_it_has_nothing_due_once_the_final_report_is_in():
    kwargs = {
        "first_due_date": date(2024, 12, 31),
        "frequency": "annual",
        "measure_due_date": date(2025, 12, 31),
    }
    assert next_due_date(**kwargs, last_reported_until=date(2024, 12, 31)) == date(2025, 12, 31)
    assert next_due_date(**kwargs, last_reported_until=date(2025, 12, 31)) is None


def test_it_has_no_schedule_without_a_first_due_date():
    assert (
        next_due_date(
            first_due_date=None,
            frequency="annual",
            measure_due_date=None,
            last_reported_until=None,
        )
        is None
    )
