"""Plan services that keep what progress reports refer to (indicators, measures)."""

import pytest
from django.core.exceptions import ValidationError

from rightstrack.audit.models import AuditEntry
from rightstrack.plans import services
from rightstrack.plans.models import Measure

from .factories import ReportFactory


@pytest.mark.django_db
def test_it_manages_indicators_and_keeps_those_with_reported_values(users, measure):
    indicator = services.indicator_create(
        actor=users["coordinator"],
        measure=measure,
        data={"name": "Judges trained", "target": "300", "reporting_frequency": "annual"},
    )
    services.indicator_update(
        actor=users["coordinator"], indicator=indicator, data={"target": "400"}
    )
    indicator.refresh_from_db()
    assert indicator.target == "400"
    report = ReportFactory(measure=measure)
    report.indicator_values.create(indicator=indicator, value="120")
    with pytest.raises(ValidationError):
        services.indicator_delete(actor=users["coordinator"], indicator=indicator)
    with pytest.raises(ValidationError):
        services.indicator_create(
            actor=users["coordinator"],
            measure=measure,
            data={"name": "x", "reporting_frequency": "weekly"},
        )


@pytest.mark.django_db
def test_it_deletes_only_measures_without_reports(users, measure, other_measure):
    ReportFactory(measure=measure)
    with pytest.raises(ValidationError):
        services.measure_delete(actor=users["coordinator"], measure=measure)
    deleted_pk = other_measure.pk
    services.measure_delete(actor=users["coordinator"], measure=other_measure)
    assert not Measure.objects.filter(pk=deleted_pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(deleted_pk)).exists()
