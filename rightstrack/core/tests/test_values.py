"""The one set of value converters: one rule per kind of value, messages per field."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import models

from rightstrack.core.validation import Errors
from rightstrack.core.values import (
    a_choice,
    a_currency,
    a_date,
    a_flag,
    a_month,
    a_text,
    a_url,
    a_whole_number,
    a_year,
    an_amount,
    parse_number,
)


class Sample(models.Model):
    name = models.CharField(max_length=5)
    notes = models.TextField(max_length=8, blank=True)
    link = models.URLField(max_length=30, blank=True)
    budget = models.DecimalField(max_digits=6, decimal_places=2, null=True)

    class Meta:
        app_label = "core"
        managed = False

    def __str__(self):
        return self.name


class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("1500", Decimal("1500")),
        ("1,500", Decimal("1500")),
        ("1 500", Decimal("1500")),
        ("1\u00a0500", Decimal("1500")),
        ("1\u202f500,25", Decimal("1500.25")),
        ("1,500,000.50", Decimal("1500000.50")),
        ("1,5", Decimal("1.5")),
        ("1,50", Decimal("1.50")),
        ("1.5", Decimal("1.5")),
        ("1.500", Decimal("1.500")),
        (".5", Decimal("0.5")),
        ("-12", Decimal("-12")),
        (" 7 ", Decimal("7")),
        (3, Decimal("3")),
        (2.5, Decimal("2.5")),
        (Decimal("4.25"), Decimal("4.25")),
    ],
)
def test_it_reads_numbers_by_one_rule(written, number):
    assert parse_number(written) == number


@pytest.mark.parametrize(
    "written",
    [
        "",
        "a lot",
        "1.500,50",
        "1,5000",
        "15,00,000",
        "1,500,5",
        "1e5",
        "1 5",
        "NaN",
        "Infinity",
        True,
    ],
)
def test_it_refuses_numbers_it_would_have_to_guess(written):
    assert parse_number(written) is None


def test_it_strips_text_and_takes_its_length_from_the_model():
    errors = Errors()

    assert a_text("  abc  ", "name", errors, model=Sample) == "abc"
    assert a_text("abcdef", "name", errors, model=Sample) == "abcdef"
    assert a_text("123456789", "comment", errors, model=Sample, name="notes") == "123456789"
    assert a_text(None, "title", errors, model=Sample, name="name", required=True) == ""

    assert errors == {
        "name": ["At most 5 characters."],
        "comment": ["At most 8 characters."],
        "title": ["This field is required."],
    }


def test_it_reads_amounts_with_the_models_decimals_and_digits():
    errors = Errors()

    assert an_amount("1 234.565", "budget", errors, model=Sample) == Decimal("1234.57")
    assert an_amount("", "budget", errors, model=Sample) is None
    assert an_amount("10000", "budget", errors, model=Sample) is None
    assert an_amount("lots", "other", errors, model=Sample, name="budget") is None
    assert an_amount(1.27e138, "huge", errors, model=Sample, name="budget") is None
    assert an_amount("9999.994", "budget", errors, model=Sample) == Decimal("9999.99")
    assert an_amount("-9999.995", "negative", errors, model=Sample, name="budget") is None

    assert errors == {
        "budget": ["Enter an amount of at most 9,999.99."],
        "huge": ["Enter an amount of at most 9,999.99."],
        "negative": ["Enter an amount of at most 9,999.99."],
        "other": ["Enter a number."],
    }


def test_it_reads_whole_numbers_and_years():
    errors = Errors()

    assert a_whole_number("1,500", "staff", errors) == 1500
    assert a_whole_number(None, "staff", errors) is None
    assert a_whole_number("2.5", "half", errors) is None
    assert a_year("2020", "start", errors) == 2020
    assert a_year("1200", "old", errors) is None
    assert a_year(True, "flag", errors) is None

    assert errors == {
        "half": ["Enter a whole number."],
        "old": ["Enter a year between 1945 and 2100."],
        "flag": ["Enter a year."],
    }


def test_it_reads_iso_and_russian_dates_but_not_ambiguous_ones():
    errors = Errors()

    assert a_date("2024-03-01", "day", errors) == date(2024, 3, 1)
    assert a_date("01.03.2024", "day", errors) == date(2024, 3, 1)
    assert a_date(datetime(2024, 3, 1, 12), "day", errors) == date(2024, 3, 1)
    assert a_date("", "day", errors) is None
    assert a_date("03/01/2024", "us", errors) is None
    assert a_date("2024-02-30", "impossible", errors) is None

    assert errors == {
        "us": ["Enter a date as YYYY-MM-DD."],
        "impossible": ["Enter a date as YYYY-MM-DD."],
    }


def test_it_keeps_a_month_as_its_first_day():
    errors = Errors()

    assert a_month("2020-11", "month", errors) == date(2020, 11, 1)
    assert a_month(date(2020, 11, 17), "month", errors) == date(2020, 11, 1)
    assert a_month("November", "bad", errors) is None

    assert errors == {"bad": ["Enter a month as YYYY-MM."]}


def test_it_reads_currencies_choices_and_flags():
    errors = Errors()

    assert a_currency(" usd ", "currency", errors) == "USD"
    assert a_currency("", "currency", errors) == ""
    assert a_currency("", "currency", errors, default="USD") == "USD"
    assert a_currency("dollars", "bad_currency", errors) == "DOLLARS"
    assert a_choice(" red ", Colour, "colour", errors) == "red"
    assert a_choice("", Colour, "colour", errors, default="blue") == "blue"
    assert a_choice("green", Colour, "bad_colour", errors) == "green"
    assert [a_flag(value) for value in ("yes", " On ", "1", True)] == [True] * 4
    assert [a_flag(value) for value in ("no", "false", "", None, 0)] == [False] * 5

    assert errors == {
        "bad_currency": ["Enter a three-letter currency code such as USD."],
        "bad_colour": ["Choose one of: red, blue."],
    }


def test_it_reads_web_addresses_of_the_web_only():
    errors = Errors()

    assert a_url(" https://ohchr.org ", "link", errors, model=Sample) == "https://ohchr.org"
    assert a_url("javascript:alert(1)", "script", errors, model=Sample, name="link")
    assert a_url("https://example.org/" + "a" * 20, "long", errors, model=Sample, name="link")

    assert errors == {
        "script": ["Enter a web address starting with http:// or https://."],
        "long": ["At most 30 characters."],
    }


def test_it_reads_form_numbers_by_the_same_rule():
    from django.core.exceptions import ValidationError

    from rightstrack.core.form_fields import AmountField, WholeNumberField

    amount = AmountField(max_digits=6, decimal_places=2, required=False)
    whole = WholeNumberField(required=False)

    assert amount.clean("1 234,5") == Decimal("1234.5")
    assert amount.clean("") is None
    assert whole.clean("1,500") == 1500
    for field, written in ((amount, "1.500,50"), (amount, "99 999"), (whole, "2.5")):
        with pytest.raises(ValidationError):
            field.clean(written)
