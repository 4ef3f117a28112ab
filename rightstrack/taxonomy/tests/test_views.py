import pytest
from django.urls import reverse

from rightstrack.taxonomy.models import Scheme

from .factories import TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def states():
    eeg = TermFactory(
        scheme=Scheme.REGIONAL_GROUP,
        code="eeg",
        label_en="Eastern European States",
        short_label_en="EEG",
        label_ru="Группа восточноевропейских государств",
    )
    weog = TermFactory(scheme=Scheme.REGIONAL_GROUP, code="weog", label_en="WEOG")
    belarus = TermFactory(
        code="BLR", label_en="Belarus", label_ru="Беларусь", parent=eeg, position=2
    )
    TermFactory(code="AUT", label_en="Austria", label_ru="Австрия", parent=weog, position=1)
    TermFactory(code="POL", label_en="Poland", label_ru="Польша", parent=eeg, position=3)
    return {"BLR": belarus}


def codes(response):
    return [term.code for term in response.context["page"].object_list]


def test_it_lists_every_vocabulary_with_its_count(client, states, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("taxonomy:list"))
    assert response.status_code == 200
    counts = {scheme["code"]: scheme["count"] for scheme in response.context["schemes"]}
    assert counts[Scheme.STATE] == 3 and counts[Scheme.REGIONAL_GROUP] == 2
    assert counts[Scheme.SDG_TARGET] == 0
    assert len(counts) == len(Scheme.values)
    assert reverse("taxonomy:scheme", args=["state"]) in response.content.decode()


def test_it_lists_the_terms_of_a_vocabulary(client, states, django_assert_max_num_queries):
    url = reverse("taxonomy:scheme", args=["state"])
    with django_assert_max_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    assert codes(response) == ["AUT", "BLR", "POL"]
    html = response.content.decode()
    assert "<h1>State</h1>" in html and 'name="q"' in html and "EEG" in html
    assert 'for="id_q"' in html and '<th scope="row"><code>BLR</code></th>' in html


def test_it_filters_and_sorts_terms(client, states):
    url = reverse("taxonomy:scheme", args=["state"])
    assert codes(client.get(url, {"q": "bel"})) == ["BLR"]
    assert codes(client.get(url, {"q": "беларусь"})) == ["BLR"]
    assert codes(client.get(url, {"q": "blr"})) == ["BLR"]
    assert codes(client.get(url, {"parent": "eeg"})) == ["BLR", "POL"]
    assert codes(client.get(url, {"sort": "code"})) == ["AUT", "BLR", "POL"]
    assert codes(client.get(url, {"sort": "label", "q": ""})) == ["AUT", "BLR", "POL"]
    assert codes(client.get(url, {"sort": "; drop table"})) == ["AUT", "BLR", "POL"]
    assert codes(client.get(url, {"q": "atlantis"})) == []


def test_it_pages_terms(client):
    for number in range(60):
        TermFactory(scheme=Scheme.SDG_TARGET, code=f"1.{number}", position=number)
    url = reverse("taxonomy:scheme", args=["sdg-target"])
    first, second = client.get(url), client.get(url, {"page": 2})
    assert len(codes(first)) == 50 and len(codes(second)) == 10
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()
    assert codes(client.get(url, {"page": "x"})) == codes(first)


def test_it_answers_htmx_with_the_results_only(client, states):
    response = client.get(
        reverse("taxonomy:scheme", args=["state"]), {"q": "pol"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and "<code>POL</code>" in html and "<code>BLR</code>" not in html


def test_it_shows_russian_labels_in_russian(client, states):
    response = client.get(reverse("taxonomy:scheme", args=["state"]), HTTP_ACCEPT_LANGUAGE="ru")
    html = response.content.decode()
    assert "Беларусь" in html and "Австрия" in html
    sorted_by_label = client.get(
        reverse("taxonomy:scheme", args=["state"]), {"sort": "label"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert codes(sorted_by_label) == ["AUT", "BLR", "POL"]


def test_it_answers_404_for_an_unknown_vocabulary(client):
    assert client.get("/vocabularies/planets/").status_code == 404
