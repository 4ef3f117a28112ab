"""Declared list filters and the filter form, on the user model."""

import pytest
from django import forms
from django.contrib.auth import get_user_model

from rightstrack.core import filtering
from rightstrack.core.filtering import Equals, Words, YesNo, apply_filters

User = get_user_model()
USER_FILTERS = {
    "q": Words("username__icontains", "email__iexact"),
    "name": Equals("first_name"),
    "staff": Equals("is_staff", choices=(True,)),
    "active": YesNo("is_active"),
}


@pytest.fixture
def users(db):
    return {
        "ada": User.objects.create(username="ada", email="first@example.org", first_name="Ada"),
        "bob": User.objects.create(username="bob", email="b@example.org", is_active=False),
        "cy": User.objects.create(username="cy", email="ADA@example.org", is_staff=True),
    }


def usernames(filters):
    found = apply_filters(User.objects.order_by("username"), filters, USER_FILTERS)
    return [user.username for user in found]


def test_it_matches_words_in_any_of_the_lookups(users):
    assert usernames({"q": " ada "}) == ["ada"]
    assert usernames({"q": "ada@example.org"}) == ["cy"]


def test_it_ignores_missing_blank_and_unknown_choice_values(users):
    assert usernames({}) == ["ada", "bob", "cy"]
    assert usernames({"q": "", "name": None, "staff": "maybe"}) == ["ada", "bob", "cy"]
    assert usernames({"staff": True, "name": "Ada"}) == []


def test_it_reads_yes_and_no_as_text_or_booleans(users):
    assert usernames({"active": "no"}) == usernames({"active": False}) == ["bob"]
    assert usernames({"active": "yes"}) == usernames({"active": True}) == ["ada", "cy"]
    assert usernames({"active": "perhaps"}) == ["ada", "bob", "cy"]


def test_it_filters_terms_by_vocabulary_and_code():
    class Recording:
        def filter(self, **lookups):
            self.lookups = lookups
            return self

    recorded = filtering.TermCode("pillars", "thematic-pillar").apply(Recording(), "mechanisms")
    assert recorded.lookups == {"pillars__scheme": "thematic-pillar", "pillars__code": "mechanisms"}


def test_it_reads_an_id_only_within_a_big_integer():
    assert [filtering.as_id(value) for value in ("7", 7, "0", "-3", "x", None, 2**63)] == [
        7,
        7,
        None,
        None,
        None,
        None,
        None,
    ]


class ExampleFilterForm(filtering.FilterForm):
    q = forms.CharField(required=False)
    year = forms.IntegerField(required=False, min_value=1945)
    mine = forms.BooleanField(required=False)


def test_it_keeps_the_valid_filters_when_one_is_invalid():
    assert ExampleFilterForm({"q": "torture", "year": "1800"}).filters() == {"q": "torture"}
    assert ExampleFilterForm({"q": "", "year": "2020", "mine": ""}).filters() == {"year": 2020}
    assert ExampleFilterForm().filters() == {}
