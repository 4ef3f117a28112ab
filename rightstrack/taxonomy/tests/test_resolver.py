import csv
import io

import pytest

from rightstrack.taxonomy.loading.upr_info import upr_info_files
from rightstrack.taxonomy.models import Scheme
from rightstrack.taxonomy.selectors import TermResolver, term_resolver
from rightstrack.taxonomy.services import vocabularies_load

from .factories import TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def states():
    group = TermFactory(scheme=Scheme.REGIONAL_GROUP, code="eeg", label_en="Eastern European")
    return {
        "RUS": TermFactory(
            code="RUS",
            label_en="Russian Federation",
            label_ru="Российская Федерация",
            aliases=["Russia"],
            parent=group,
        ),
        "CIV": TermFactory(code="CIV", label_en="Côte d'Ivoire", label_ru="Кот-д'Ивуар"),
        "ATG": TermFactory(code="ATG", label_en="Antigua and Barbuda"),
        "GBR": TermFactory(
            code="GBR",
            label_en="United Kingdom of Great Britain and Northern Ireland",
            short_label_en="United Kingdom",
        ),
    }


def test_it_resolves_codes_labels_and_aliases_loosely(states):
    resolve = TermResolver(Scheme.STATE)
    for spelling in ("Russian Federation", "russia", "RUS", "российская федерация", " Russia  "):
        assert resolve(spelling) == states["RUS"], spelling
    for spelling in ("Cote d'Ivoire", "CÔTE D’IVOIRE", "Côte  d'Ivoire", "Кот-д'Ивуар"):
        assert resolve(spelling) == states["CIV"], spelling
    assert resolve("Antigua & Barbuda") == states["ATG"]
    assert resolve("United Kingdom") == states["GBR"]


def test_it_returns_none_for_what_it_does_not_know(states):
    resolve = TermResolver(Scheme.STATE)
    assert resolve("Atlantis") is None
    assert resolve("") is None and resolve(None) is None and resolve("  -  ") is None
    assert resolve("&#40;Unknown&#41;") is None
    # A term of another vocabulary is not a State.
    assert resolve("eeg") is None


def test_it_reads_the_vocabulary_once(states, django_assert_num_queries):
    with django_assert_num_queries(1):
        resolve = term_resolver(Scheme.STATE)
    with django_assert_num_queries(0):
        assert resolve.resolve("Russia") == states["RUS"]
        assert resolve.resolve("nowhere") is None
        assert len(resolve) == 4


def test_it_prefers_a_code_to_a_label_to_an_alias_to_a_short_label():
    by_code = TermFactory(scheme=Scheme.UHRI_THEME, code="D5", label_en="Administration of justice")
    by_label = TermFactory(scheme=Scheme.UHRI_THEME, code="A1", label_en="D5", aliases=["Justice"])
    by_alias = TermFactory(scheme=Scheme.UHRI_THEME, code="B1", aliases=["Scope"])
    TermFactory(scheme=Scheme.UHRI_THEME, code="E1", label_en="Justice", short_label_en="Scope")
    resolve = TermResolver(Scheme.UHRI_THEME)
    assert resolve("D5") == by_code
    assert resolve("justice").code == "E1"
    assert resolve("scope") == by_alias
    assert resolve("A1") == by_label


def test_it_resolves_uhri_sdg_targets_and_bodies():
    goal = TermFactory(scheme=Scheme.SDG_GOAL, code="16", label_en="Peace")
    target = TermFactory(scheme=Scheme.SDG_TARGET, code="16.2", label_en="Protect", parent=goal)
    TermFactory(scheme=Scheme.SDG_TARGET, code="1.a", label_en="Mobilize")
    crc = TermFactory(scheme=Scheme.MECHANISM, code="CRC", label_en="Committee", aliases=["- CRC"])
    targets, bodies = TermResolver(Scheme.SDG_TARGET), TermResolver(Scheme.MECHANISM)
    assert targets("16.2") == target
    assert targets("16.2 - Protect children from abuse, exploitation, trafficking") == target
    assert targets("1.a – Mobilize resources").code == "1.a"
    assert targets("16.20") is None and targets("16") is None
    assert bodies("- CRC") == bodies("CRC") == crc


def test_it_resolves_many_values_without_repeats(states):
    found, unknown = TermResolver(Scheme.STATE).resolve_many(
        ["Russia", "RUS", "Atlantis", "United Kingdom", "Atlantis"]
    )
    assert found == [states["RUS"], states["GBR"]]
    assert unknown == ["Atlantis"]


def test_it_resolves_every_state_of_the_upr_info_exports(shared_data_dir):
    vocabularies_load(data_dir=shared_data_dir)
    states, groups = TermResolver(Scheme.STATE), TermResolver(Scheme.REGIONAL_GROUP)
    unresolved, other_group = set(), set()
    for path in upr_info_files(shared_data_dir):
        text = path.read_bytes().decode("mac_roman")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            for state_column, group_column in (("To", "To-Rgrp"), ("From", "From-Rgrp")):
                state = states(row[state_column])
                if state is None:
                    unresolved.add(row[state_column])
                elif state.parent != groups(row[group_column]):
                    other_group.add((state.code, row[group_column]))
    # "(Unknown)" recommending States are not States; the UPR Info data puts the two observer
    # States in an "Observer" group, while the State of Palestine belongs to the Asia-Pacific one.
    assert unresolved == {"&#40;Unknown&#41;"}
    assert other_group == {("PSE", "Observer")}


def test_it_resolves_uhri_export_spellings(shared_data_dir):
    vocabularies_load(data_dir=shared_data_dir)
    themes = TermResolver(Scheme.UHRI_THEME)
    persons = TermResolver(Scheme.AFFECTED_PERSONS)
    targets = TermResolver(Scheme.SDG_TARGET)
    assert themes("Rights related to name, identity & nationality").code == "D6"
    assert themes("Administration of justice & fair trial").code == "D5"
    assert themes("Violence against women").code == "F1"
    assert persons("Youth & juveniles").code == "youth"
    assert persons("Disappeared persons").code == "disappeared-persons"
    assert targets("16.9 - Universal legal identity and birth registration").code == "16.9"
    assert TermResolver(Scheme.MECHANISM)("- CEDAW").code == "CEDAW"
    assert TermResolver(Scheme.UPR_INFO_ISSUE)("HIV - Aids").code == "hiv-aids"
    assert TermResolver(Scheme.ACTION_CATEGORY)("5").label_en == "Specific action"
