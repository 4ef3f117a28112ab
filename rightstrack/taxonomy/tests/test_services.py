import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role
from rightstrack.taxonomy.models import Agency, Scheme
from rightstrack.taxonomy.selectors import term_list
from rightstrack.taxonomy.services import (
    agency_create,
    agency_update,
    term_create,
    term_update,
    vocabularies_load,
)

from .factories import AgencyFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(user_factory):
    return user_factory(role=Role.ADMINISTRATOR)


def test_it_creates_an_agency_with_its_state_and_audits_it(administrator):
    belarus = TermFactory(scheme=Scheme.STATE, code="BLR", label_en="Belarus")
    agency = agency_create(
        actor=administrator,
        code="moj",
        name_en=" Ministry of Justice ",
        name_ru="Министерство юстиции",
        state="blr",
    )
    assert (agency.code, agency.name_en, agency.state) == ("moj", "Ministry of Justice", belarus)
    entry = AuditEntry.objects.get(object_id=str(agency.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == administrator
    assert entry.changes["state"]["new"] == "Belarus"


def test_it_lets_the_system_create_agencies():
    agency = agency_create(actor=None, code="mfa", name_en="Ministry of Foreign Affairs")
    assert agency.state is None
    assert AuditEntry.objects.get(object_id=str(agency.pk)).actor_name == ""


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FOCAL_POINT, Role.VIEWER])
def test_it_lets_only_administrators_change_agencies(role, user_factory):
    with pytest.raises(PermissionDenied):
        agency_create(actor=user_factory(role=role), code="moj", name_en="Ministry")
    assert not Agency.objects.filter(code="moj").exists()


def test_it_validates_an_agency(administrator):
    AgencyFactory(code="moj")
    TermFactory(scheme=Scheme.MECHANISM, code="UPR")
    with pytest.raises(ValidationError) as caught:
        agency_create(actor=administrator, code="moj", name_en=" ", state="XXX")
    assert set(caught.value.message_dict) == {"code", "name_en", "state"}
    with pytest.raises(ValidationError) as caught:
        agency_create(actor=administrator, code="not a slug", name_en="A", state=None)
    assert set(caught.value.message_dict) == {"code"}
    upr = TermFactory(scheme=Scheme.MECHANISM, code="UPR")
    with pytest.raises(ValidationError) as caught:
        agency_create(actor=administrator, code="x", name_en="A", state=upr)
    assert set(caught.value.message_dict) == {"state"}


def test_it_updates_an_agency_and_records_only_what_changed(administrator):
    agency = AgencyFactory(code="moj", name_en="Ministry")
    agency_update(actor=administrator, agency=agency, data={"name_en": "Ministry of Justice"})
    agency_update(actor=administrator, agency=agency, data={"name_en": "Ministry of Justice"})
    entries = AuditEntry.objects.filter(object_id=str(agency.pk))
    assert [entry.changes["name_en"]["new"] for entry in entries] == ["Ministry of Justice"]


def test_it_edits_a_term_and_keeps_it_searchable(administrator):
    term = TermFactory(scheme=Scheme.SHIFT, code="corruption", label_en="Corruption")
    data = {"label_ru": "Коррупция", "aliases": ["Graft"]}
    term_update(actor=administrator, term=term, data=data)
    term.refresh_from_db()
    assert term.label_ru == "Коррупция"
    assert list(term_list(scheme=Scheme.SHIFT, filters={"q": "КОРРУП"})) == [term]
    assert list(term_list(scheme=Scheme.SHIFT, filters={"q": "graft"})) == [term]
    entry = AuditEntry.objects.get(object_id=str(term.pk), action=AuditEntry.Action.UPDATE)
    assert set(entry.changes) == {"label_ru", "aliases"}


def test_it_validates_a_term(administrator, user_factory):
    existing = TermFactory(scheme=Scheme.SHIFT, code="corruption")
    with pytest.raises(ValidationError) as caught:
        term_create(
            actor=administrator,
            data={"scheme": "shift", "code": "corruption", "label_en": "", "aliases": "x"},
        )
    assert set(caught.value.message_dict) == {"code", "label_en", "aliases"}
    with pytest.raises(ValidationError) as caught:
        term_update(actor=administrator, term=existing, data={"parent": existing})
    assert set(caught.value.message_dict) == {"parent"}
    with pytest.raises(PermissionDenied):
        term_update(actor=user_factory(role=Role.COORDINATOR), term=existing, data={})


def test_it_lets_only_administrators_load_vocabularies(tiny_data_dir, user_factory):
    with pytest.raises(PermissionDenied):
        vocabularies_load(data_dir=tiny_data_dir, actor=user_factory(role=Role.COORDINATOR))
