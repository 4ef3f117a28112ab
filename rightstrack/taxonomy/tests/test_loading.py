import io

import pytest
from django.forms.models import model_to_dict

from rightstrack.audit.models import AuditEntry
from rightstrack.taxonomy.loading.builtin import (
    ALIASES_FILE,
    BUILTIN_DIR,
    TRANSLATIONS_FILE,
    read_aliases,
    read_builtin_terms,
    read_translations,
)
from rightstrack.taxonomy.loading.sources import DATA_SOURCES
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.services import vocabularies_load

pytestmark = pytest.mark.django_db

TREATY_BODIES = {"CCPR", "CESCR", "CEDAW", "CRC", "CAT", "SPT", "CERD", "CRPD", "CMW", "CED"}


def all_rows():
    return [model_to_dict(term) for term in Term.objects.order_by("scheme", "code")]


def terms(scheme):
    return Term.objects.filter(scheme=scheme)


def test_it_loads_the_real_vocabularies(shared_data_dir):
    counts = vocabularies_load(data_dir=shared_data_dir)

    assert terms(Scheme.SDG_GOAL).count() == 17
    assert terms(Scheme.SDG_TARGET).count() == 169
    for scheme in (Scheme.SDG_GOAL, Scheme.SDG_TARGET):
        assert not terms(scheme).filter(label_ru="").exists()
        assert not terms(scheme).filter(label_en="").exists()
    assert not terms(Scheme.SDG_GOAL).filter(short_label_ru="").exists()
    target = Term.objects.select_related("parent").get(scheme=Scheme.SDG_TARGET, code="16.2")
    assert target.parent.code == "16" and target.parent.scheme == Scheme.SDG_GOAL
    assert terms(Scheme.SDG_TARGET).filter(code="1.a").exists()

    assert terms(Scheme.REGIONAL_GROUP).count() == 5
    assert terms(Scheme.STATE).count() == 195
    states_without_group = terms(Scheme.STATE).filter(parent__isnull=True)
    # The Holy See is an observer State outside the regional groups; every member State is in one.
    assert list(states_without_group.values_list("code", flat=True)) == ["VAT"]
    assert (
        not terms(Scheme.STATE).exclude(parent=None).exclude(parent__scheme=Scheme.REGIONAL_GROUP)
    )
    assert not terms(Scheme.STATE).filter(label_ru="").exists()

    assert terms(Scheme.UPR_INFO_ISSUE).count() == 54
    assert terms(Scheme.UHRI_THEME).count() == 39
    assert terms(Scheme.AFFECTED_PERSONS).count() == 36
    for scheme in (Scheme.UPR_INFO_ISSUE, Scheme.UHRI_THEME, Scheme.AFFECTED_PERSONS):
        assert not terms(scheme).filter(label_ru="").exists(), scheme

    bodies = set(
        terms(Scheme.MECHANISM).filter(parent__code="treaty-bodies").values_list("code", flat=True)
    )
    assert bodies == TREATY_BODIES
    assert terms(Scheme.MECHANISM).filter(code__in=["UPR", "SP"]).count() == 2
    assert list(terms(Scheme.ACTION_CATEGORY).values_list("code", flat=True)) == list("12345")
    assert terms(Scheme.THEMATIC_PILLAR).count() == 6
    assert terms(Scheme.SHIFT).count() == 7
    assert terms(Scheme.SPOTLIGHT_POPULATION).count() == 3

    assert counts[Scheme.STATE] == {"created": 195, "updated": 0, "unchanged": 0}
    assert sum(row["created"] for row in counts.values()) == Term.objects.count()


def test_it_changes_nothing_the_second_time(shared_data_dir, django_assert_max_num_queries):
    vocabularies_load(data_dir=shared_data_dir)
    before, audit_entries = all_rows(), AuditEntry.objects.count()

    # One read of the existing terms and the transaction: not a single write.
    with django_assert_max_num_queries(3):
        counts = vocabularies_load(data_dir=shared_data_dir)

    assert all(row["created"] == row["updated"] == 0 for row in counts.values())
    assert sum(row["unchanged"] for row in counts.values()) == len(before)
    assert all_rows() == before
    assert AuditEntry.objects.count() == audit_entries


def test_it_audits_what_it_creates_and_changes(tiny_data_dir):
    vocabularies_load(data_dir=tiny_data_dir)
    belarus = Term.objects.get(scheme=Scheme.STATE, code="BLR")
    created = AuditEntry.objects.get(object_id=str(belarus.pk), action=AuditEntry.Action.CREATE)
    assert created.changes["label_en"]["new"] == "Belarus"
    assert created.changes["parent"]["new"] == "Eastern European States"
    assert created.note == "load-vocabularies: states.yml"

    Term.objects.filter(pk=belarus.pk).update(label_en="Byelorussia", aliases=[])
    counts = vocabularies_load(data_dir=tiny_data_dir)

    assert counts[Scheme.STATE] == {"created": 0, "updated": 1, "unchanged": 194}
    belarus.refresh_from_db()
    assert belarus.label_en == "Belarus"
    assert "Russia" not in belarus.aliases and "Republic of Belarus" in belarus.aliases
    updated = AuditEntry.objects.get(object_id=str(belarus.pk), action=AuditEntry.Action.UPDATE)
    assert updated.changes["label_en"] == {
        "label": "label (English)",
        "old": "Byelorussia",
        "new": "Belarus",
    }
    assert set(updated.changes) == {"label_en", "aliases"}


def test_it_keeps_a_retired_term_retired(tiny_data_dir):
    vocabularies_load(data_dir=tiny_data_dir)
    Term.objects.filter(scheme=Scheme.SHIFT, code="corruption").update(is_active=False)
    counts = vocabularies_load(data_dir=tiny_data_dir)
    assert counts[Scheme.SHIFT]["unchanged"] == 7
    assert not Term.objects.get(scheme=Scheme.SHIFT, code="corruption").is_active


def test_it_reads_the_data_directory_files(tiny_data_dir):
    vocabularies_load(data_dir=tiny_data_dir)

    goals = terms(Scheme.SDG_GOAL)
    assert list(goals.values_list("code", "short_label_en", "short_label_ru")) == [
        ("1", "First goal", "Первая цель"),
        ("2", "Second goal", ""),
    ]
    assert goals.get(code="2").label_en == "The second goal, in full, folded over two lines"
    targets = terms(Scheme.SDG_TARGET).select_related("parent")
    assert [(t.code, t.parent.code, t.label_ru) for t in targets] == [
        ("1.1", "1", "Задача 1.1"),
        ("1.a", "1", "Задача 1.a"),
        ("2.1", "2", ""),
    ]

    themes = {t.code: t for t in terms(Scheme.UHRI_THEME).select_related("parent")}
    assert set(themes) == {"A", "A1", "A2"}
    assert themes["A1"].parent == themes["A"] and themes["A1"].label_en == "Scope, obligations"
    assert themes["A1"].short_label_en == "Obligations"
    persons = terms(Scheme.AFFECTED_PERSONS)
    assert list(persons.values_list("code", "label_en")) == [
        ("children", "Children"),
        ("women-and-girls", "Women & girls"),
    ]
    assert persons.get(code="children").label_ru == "Дети"  # from translations-ru.yml

    issues = terms(Scheme.UPR_INFO_ISSUE)
    assert list(issues.values_list("code", "label_en")) == [
        ("education-civique", "Éducation civique"),  # decoded from Mac Roman
        ("justice", "Justice"),
        ("rights-of-the-child", "Rights of the Child"),
        ("womens-rights", "Women's rights"),
    ]
    assert issues.get(code="justice").label_ru == "Правосудие"


def test_it_uses_the_shared_data_directory_by_default(settings, tiny_data_dir):
    settings.SHARED_DATA_DIR = tiny_data_dir
    counts = vocabularies_load()
    assert counts[Scheme.SDG_GOAL]["created"] == 2


def test_it_loads_the_builtin_vocabularies_alone_without_shared_data(settings, tmp_path):
    settings.SHARED_DATA_DIR = tmp_path / "absent"
    out = io.StringIO()
    counts = vocabularies_load(stdout=out)
    assert set(counts) == {record.scheme for record in read_builtin_terms()}
    assert terms(Scheme.STATE).count() == 195 and not terms(Scheme.SDG_GOAL).exists()
    assert "built-in vocabularies only" in out.getvalue()


def test_it_ships_complete_builtin_vocabularies():
    records = read_builtin_terms()
    codes = {}
    for record in records:
        codes.setdefault(record.scheme, set()).add(record.code)
        assert record.label_ru, record.code
    assert len(codes[Scheme.STATE]) == 195
    assert all(len(code) == 3 and code.isupper() for code in codes[Scheme.STATE])
    assert codes[Scheme.REGIONAL_GROUP] == {"african", "asia-pacific", "eeg", "grulac", "weog"}
    assert codes[Scheme.THEMATIC_PILLAR] == {
        "mechanisms",
        "development",
        "peace-and-security",
        "non-discrimination",
        "accountability",
        "participation",
    }


def test_it_has_a_russian_translation_for_every_real_term_read_from_data(shared_data_dir):
    loaded = {record.key for _name, read in DATA_SOURCES for record in read(shared_data_dir)}
    translated = set(read_translations(BUILTIN_DIR / TRANSLATIONS_FILE))
    with_aliases = set(read_aliases(BUILTIN_DIR / ALIASES_FILE))
    sdg = {Scheme.SDG_GOAL.value, Scheme.SDG_TARGET.value}
    # Every overlay entry names a real term, and every term without Russian in the data has one.
    assert translated <= loaded and with_aliases <= loaded
    assert {key for key in loaded if key[0] not in sdg} == translated
