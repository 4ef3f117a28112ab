"""One recommendation, several sources: matching on import, standing values, merge and split."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role
from rightstrack.recommendations import services
from rightstrack.recommendations.imports.service import match_held
from rightstrack.recommendations.models import (
    Cluster,
    MatchCandidate,
    Recommendation,
    RecommendationMerge,
    RecommendationTag,
    SourceRecord,
    TagSource,
)
from rightstrack.recommendations.services import import_file
from rightstrack.recommendations.sources import standing

from .factories import ClusterFactory, RecommendationFactory
from .import_helpers import write_thematic_list, write_upr_info, write_wg_report

pytestmark = pytest.mark.django_db

HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session"


def upr_info(tmp_path, *rows, name="u.csv"):
    """A UPR Info export of Belarus, session 8: rows of (text, recommending State, response)."""
    lines = [HEADER] + [
        f'Belarus,EEG,,"{text}",{state},,,{response},,,8' for text, state, response in rows
    ]
    return write_upr_info(tmp_path / name, lines)


def report(tmp_path):
    return import_file(
        user=None, format="un-wg-report", path=write_wg_report(tmp_path / "A-HRC-15-16.txt")
    )


def belarus():
    return Recommendation.objects.filter(state__code="BLR")


def by_number(number):
    return Recommendation.objects.get(state__code="BLR", number=number)


def test_it_joins_a_thematic_list_row_to_the_report_entry_of_the_same_number(tmp_path, terms):
    report(tmp_path)
    listing = write_thematic_list(
        tmp_path / "UPR8_Belarus_ThematicList.docx",
        (
            (
                "98.17 Abolish the death penalty altogether (France, Italy);\n"
                "Source of position: A/HRC/15/16/Add.1",
                "Noted",
                "",
            ),
        ),
    )

    batch = import_file(user=None, format="ohchr-docx", path=listing)

    assert (batch.created, batch.matched) == (0, 1)
    assert belarus().count() == 4
    recommendation = by_number("98.17")
    assert recommendation.sources.count() == 2
    # The report's wording stands (a UN document over a thematic list); its "will be examined"
    # gives way to the list's definite position.
    assert (
        recommendation.text == "Abolish the death penalty and ratify the Second Optional Protocol"
    )
    assert recommendation.position == "noted"


def test_it_joins_each_states_upr_info_row_to_the_numbered_recommendation(tmp_path, terms):
    report(tmp_path)
    path = upr_info(
        tmp_path,
        ("Declare a moratorium on executions", "Brazil", "Noted"),
        ("Introduce a moratorium", "Lithuania", "Noted"),
        ("Abolish the death penalty and ratify the Second Optional Protocol", "France", "Noted"),
        ("Protect journalists from harassment", "Chile", "Accepted"),
    )

    batch = import_file(user=None, format="upr-info", path=path)

    assert (batch.created, batch.matched) == (1, 3)
    assert belarus().count() == 5
    moratorium = by_number("98.16")
    assert sorted(moratorium.sources.values_list("kind", flat=True)) == [
        "database-export",
        "database-export",
        "un-document",
    ]
    # The State's later response (UPR Info) over the report's "will be examined".
    assert moratorium.position == "noted"
    assert moratorium.source_key == "doc:A/HRC/15/16#98.16"
    assert by_number("98.17").sources.count() == 2
    assert belarus().get(number="").text == "Protect journalists from harassment"
    assert not MatchCandidate.objects.exists()
    # Importing the same rows again finds them by key: nothing new.
    again = import_file(user=None, format="upr-info", path=path)
    assert (again.created, again.matched, again.unchanged) == (0, 0, 4)


def test_it_queues_a_doubtful_match_for_review(tmp_path, terms):
    report(tmp_path)
    # Much like France's wording of 97.1, but from Chile, whose own wording there differs.
    path = upr_info(
        tmp_path, ("Continue cooperation with the United Nations agencies", "Chile", "")
    )

    batch = import_file(user=None, format="upr-info", path=path)

    assert (batch.created, batch.matched) == (1, 0)
    assert "1 possible duplicate(s) await review" in batch.message
    candidate = MatchCandidate.objects.get()
    assert candidate.status == MatchCandidate.Status.OPEN
    assert candidate.candidate == by_number("97.1")
    assert candidate.source.source_key.startswith("upr-info:")
    assert 0.4 <= candidate.score < 0.9


def test_it_merges_upr_info_rows_imported_first_into_the_report_entry(tmp_path, terms):
    path = upr_info(
        tmp_path,
        ("Declare a moratorium on executions", "Brazil", "Noted"),
        ("Introduce a moratorium", "Lithuania", "Noted"),
        ("Protect journalists from harassment", "Chile", "Accepted"),
    )
    import_file(user=None, format="upr-info", path=path)
    brazil = belarus().get(text="Declare a moratorium on executions")
    lithuania = belarus().get(text="Introduce a moratorium")
    cluster = ClusterFactory(recommendations=[lithuania])

    batch = report(tmp_path)

    # 98.16 joins Brazil's row, and Lithuania's is merged into it; three more are new.
    assert (batch.created, batch.matched) == (3, 1)
    assert belarus().count() == 5
    moratorium = by_number("98.16")
    assert moratorium.pk == brazil.pk
    assert not Recommendation.objects.filter(pk=lithuania.pk).exists()
    assert moratorium.sources.count() == 3
    assert list(cluster.recommendations.all()) == [moratorium]
    merge = RecommendationMerge.objects.get()
    assert (merge.target_id, merge.merged_id, merge.automatic) == (brazil.pk, lithuania.pk, True)


def test_it_undoes_a_merge_with_what_was_linked(tmp_path, terms):
    coordinator = UserFactory(role=Role.COORDINATOR)
    path = upr_info(
        tmp_path,
        ("Declare a moratorium on executions", "Brazil", "Noted"),
        ("Introduce a moratorium", "Lithuania", "Noted"),
    )
    import_file(user=None, format="upr-info", path=path)
    brazil = belarus().get(text="Declare a moratorium on executions")
    lithuania = belarus().get(text="Introduce a moratorium")
    both = ClusterFactory(recommendations=[brazil, lithuania])
    only = ClusterFactory(recommendations=[lithuania])
    RecommendationTag.objects.create(
        recommendation=lithuania, term=terms["Death penalty"], source=TagSource.HUMAN
    )

    merge = services.recommendations_merge(actor=coordinator, target=brazil, merged=lithuania)

    assert list(only.recommendations.all()) == [brazil]
    assert list(both.recommendations.all()) == [brazil]
    assert brazil.sources.count() == 2
    assert brazil.tags.filter(term=terms["Death penalty"]).exists()
    assert set(brazil.recommending_states.values_list("code", flat=True)) == {"BRA", "LTU"}

    restored = services.merge_undo(actor=coordinator, merge=merge)

    assert restored.pk == lithuania.pk
    assert restored.text == "Introduce a moratorium"
    assert list(restored.recommending_states.values_list("code", flat=True)) == ["LTU"]
    assert list(only.recommendations.all()) == [restored]
    assert set(both.recommendations.all()) == {brazil, restored}
    assert restored.tags.get(term=terms["Death penalty"]).source == TagSource.HUMAN
    assert not brazil.tags.filter(term=terms["Death penalty"]).exists()
    assert brazil.sources.count() == restored.sources.count() == 1
    assert list(brazil.recommending_states.values_list("code", flat=True)) == ["BRA"]
    merge.refresh_from_db()
    assert merge.undone_at is not None
    notes = list(AuditEntry.objects.filter(object_id=str(brazil.pk)).values_list("note", flat=True))
    assert any("merged #" in note for note in notes)
    assert any("undone" in note for note in notes)
    with pytest.raises(ValidationError):
        services.merge_undo(actor=coordinator, merge=merge)


def test_it_splits_a_wrongly_joined_source_off(tmp_path, terms):
    coordinator = UserFactory(role=Role.COORDINATOR)
    report(tmp_path)
    import_file(
        user=None,
        format="upr-info",
        path=upr_info(tmp_path, ("Introduce a moratorium", "Lithuania", "Accepted")),
    )
    moratorium = by_number("98.16")
    ClusterFactory(recommendations=[moratorium])
    row = moratorium.sources.get(kind="database-export")
    assert moratorium.position == "supported"

    alone = services.source_split(actor=coordinator, source=row)

    moratorium.refresh_from_db()
    assert moratorium.position == "pending"
    assert moratorium.sources.count() == 1
    assert moratorium.clusters.count() == 1
    assert (alone.text, alone.position, alone.number) == ("Introduce a moratorium", "supported", "")
    assert alone.clusters.count() == 0
    with pytest.raises(ValidationError):
        services.source_split(actor=coordinator, source=moratorium.sources.get())


def test_it_decides_possible_duplicates_from_the_queue(tmp_path, terms):
    coordinator = UserFactory(role=Role.COORDINATOR)
    report(tmp_path)
    path = upr_info(
        tmp_path, ("Continue cooperation with the United Nations agencies", "Chile", "")
    )
    import_file(user=None, format="upr-info", path=path)
    candidate = MatchCandidate.objects.get()
    with pytest.raises(PermissionDenied):
        services.match_decide(actor=UserFactory(role=Role.VIEWER), candidate=candidate, same=True)

    services.match_decide(actor=coordinator, candidate=candidate, same=True)

    assert belarus().count() == 4
    assert by_number("97.1").sources.count() == 2
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == (MatchCandidate.Status.MERGED, coordinator)
    with pytest.raises(ValidationError):
        services.match_decide(actor=coordinator, candidate=candidate, same=False)


def test_it_keeps_the_standing_values_by_precedence():
    sources = [
        _source(1, "database-export", position="supported", text="Row", date=None, states=[5]),
        _source(2, "un-document", position="pending", text="Report", number="98.1", states=[5, 6]),
        _source(3, "thematic-list", position="noted", text="List", position_source="Add.1"),
    ]

    result = standing(sources)

    assert result.values["text"] == "Report"
    assert result.values["number"] == "98.1"
    # The list's definite position (and its source) over the report's pending one.
    assert (result.values["position"], result.values["position_source"]) == ("noted", "Add.1")
    assert result.position_from == 3
    assert result.source_key == "key-2"
    assert result.recommending == [5, 6]
    assert result.disagree  # supported (the row) and noted (the list)
    assert not standing(sources[1:]).disagree


def _source(pk, kind, *, states=(), number="", position_source="", **values):
    return {
        "id": pk,
        "kind": kind,
        "source_key": f"key-{pk}",
        "recommending_states": list(states),
        "tags": [],
        "state_id": 1,
        "mechanism_id": 2,
        "document_id": None,
        "number": number,
        "annotation_type": "",
        "date": values.pop("date", None),
        "cycle": 1,
        "session": 8,
        "wordings": [],
        "position_source": position_source,
        "action_category_id": None,
        **values,
    }


def test_it_gives_recommendations_without_sources_one_on_their_next_import(tmp_path, terms):
    path = upr_info(tmp_path, ("Introduce a moratorium", "Lithuania", "Accepted"))
    import_file(user=None, format="upr-info", path=path)
    recommendation = belarus().get()
    SourceRecord.objects.all().delete()

    again = import_file(user=None, format="upr-info", path=path)

    assert (again.created, again.unchanged) == (0, 1)
    assert recommendation.sources.get().source_key == recommendation.source_key
    assert Cluster.objects.count() == 0


def test_it_merges_copies_held_from_before_imports_matched(tmp_path, terms):
    report(tmp_path)
    # As an import before source records wrote it: a recommendation of its own, no source.
    copy = RecommendationFactory(
        state=terms["BLR"],
        mechanism=terms["UPR"],
        document=None,
        number="",
        session=8,
        text="Introduce a moratorium",
        recommending_states=[terms["LTU"]],
    )
    output = io.StringIO()

    call_command("dedup", stdout=output)

    assert output.getvalue().startswith("Merged 1 recommendation(s)")
    assert belarus().count() == 4
    assert not Recommendation.objects.filter(pk=copy.pk).exists()
    assert by_number("98.16").sources.count() == 2
    assert match_held(user=None, state="Belarus").merged == 0
