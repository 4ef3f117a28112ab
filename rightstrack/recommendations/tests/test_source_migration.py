"""Migration 0011: every recommendation held gets one source record, losing nothing."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("recommendations", "0010_savedsearch")]
AFTER = [("recommendations", "0011_source_records")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_it_gives_every_recommendation_held_one_source_record():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE)
        Term = apps.get_model("taxonomy", "Term")
        Document = apps.get_model("recommendations", "Document")
        Recommendation = apps.get_model("recommendations", "Recommendation")
        Tag = apps.get_model("recommendations", "RecommendationTag")
        belarus = Term.objects.create(scheme="state", code="BLR", label_en="Belarus")
        brazil = Term.objects.create(scheme="state", code="BRA", label_en="Brazil")
        upr = Term.objects.create(scheme="mechanism", code="UPR", label_en="UPR")
        theme = Term.objects.create(scheme="uhri-theme", code="t", label_en="Theme")
        report = Document.objects.create(symbol="A/HRC/15/16", kind="upr-wg-report")
        numbered = Recommendation.objects.create(
            source_key="doc:A/HRC/15/16#98.16",
            state=belarus,
            mechanism=upr,
            document=report,
            number="98.16",
            session=8,
            text="Declare a moratorium",
            wordings=[{"text": "Declare a moratorium", "states": ["Brazil"]}],
            position="pending",
        )
        numbered.recommending_states.set([brazil])
        Tag.objects.create(recommendation=numbered, term=theme, source="imported")
        Recommendation.objects.create(
            source_key="upr-info:s8:abc", state=belarus, mechanism=upr, text="Row", position="noted"
        )

        apps = _migrate(AFTER)

        SourceRecord = apps.get_model("recommendations", "SourceRecord")
        sources = {source.source_key: source for source in SourceRecord.objects.all()}
        assert set(sources) == {"doc:A/HRC/15/16#98.16", "upr-info:s8:abc"}
        report_entry = sources["doc:A/HRC/15/16#98.16"]
        assert report_entry.recommendation_id == numbered.pk
        assert report_entry.kind == "un-document"
        assert (report_entry.number, report_entry.text, report_entry.position) == (
            "98.16",
            "Declare a moratorium",
            "pending",
        )
        assert report_entry.wordings == [{"text": "Declare a moratorium", "states": ["Brazil"]}]
        assert (report_entry.recommending_states, report_entry.tags) == ([brazil.pk], [theme.pk])
        assert sources["upr-info:s8:abc"].kind == "database-export"
        # The table is not rebuilt on SQLite, so its triggers (full text, data version) stay.
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
                assert cursor.fetchone()[0] >= 6
    finally:
        _migrate(latest)
