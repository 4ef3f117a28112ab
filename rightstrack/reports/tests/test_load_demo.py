import io

import pytest
from django.core.management import call_command

from rightstrack.accounts.models import User
from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role
from rightstrack.presences.models import Presence
from rightstrack.presences.services import presence_update
from rightstrack.taxonomy.models import Term

pytestmark = pytest.mark.django_db


def _load_demo():
    out = io.StringIO()
    call_command("load-demo", "--no-progress", stdout=out)
    return out.getvalue()


def _state():
    return {
        "presences": list(Presence.objects.values()),
        "terms": Term.objects.count(),
        "users": list(User.objects.values_list("username", "role", "password").order_by("pk")),
        "audit": AuditEntry.objects.count(),
    }


def test_it_loads_the_demo_once_and_running_it_again_changes_nothing(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")

    first = _load_demo()
    after_first = _state()
    second = _load_demo()

    assert _state() == after_first
    assert "Field presence belarus: created" in first
    assert "Field presence belarus: unchanged" in second
    presence = Presence.objects.get(slug="belarus")
    assert presence.is_published is True
    assert presence.country.code == "BLR"
    assert presence.created_by.username == "demo-admin"


def test_it_creates_one_demo_account_per_role_and_prints_them(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")

    output = _load_demo()

    accounts = dict(
        User.objects.filter(username__startswith="demo-").values_list("username", "role")
    )
    assert accounts == {
        "demo-admin": Role.ADMINISTRATOR,
        "demo-coordinator": Role.COORDINATOR,
        "demo-focal-point": Role.FOCAL_POINT,
        "demo-civil-society": Role.CIVIL_SOCIETY,
        "demo-viewer": Role.VIEWER,
    }
    for username in accounts:
        assert username in output
        assert User.objects.get(username=username).check_password("another-demo-secret")
    focal_point = User.objects.get(username="demo-focal-point")
    assert focal_point.agency.code == "mfa-by"
    assert "(demo)" in focal_point.agency.name_en


def test_it_restores_a_changed_demo_presence_and_records_the_change():
    _load_demo()
    presence = Presence.objects.get(slug="belarus")
    admin = User.objects.get(username="demo-admin")
    presence_update(actor=admin, presence=presence, data={"staff_count": 7, "title": "Renamed"})

    output = _load_demo()

    presence.refresh_from_db()
    assert "Field presence belarus: updated" in output
    assert presence.staff_count is None
    assert presence.title == "UN Human Rights in Belarus"
    restored = AuditEntry.objects.filter(object_id=str(presence.pk)).order_by("-id").first()
    assert restored.changes["staff_count"] == {"label": "number of staff", "old": "7", "new": None}
