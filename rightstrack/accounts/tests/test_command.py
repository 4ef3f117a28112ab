import io
import re
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from rightstrack.accounts.models import ApiToken, User
from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role

from .factories import STRONG_PASSWORD, AgencyFactory, UserFactory


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    options = {"stdout": out, "stderr": err}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command("user", *args, **options)
    return out.getvalue(), err.getvalue()


def raw_token_in(output):
    match = re.search(r"^token: (\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.FOCAL_POINT])
def test_it_creates_a_user_of_each_role(role):
    out, _err = run("create", f"user-{role}", "--role", role, "--email", "u@example.org")

    user = User.objects.get(username=f"user-{role}")
    assert user.role == role
    assert user.email == "u@example.org"
    assert not user.has_usable_password()
    assert f"Created user user-{role}: role {role}" in out
    assert "token:" not in out
    assert AuditEntry.objects.get(object_id=str(user.pk)).actor_name == ""


@pytest.mark.django_db
def test_it_creates_a_focal_point_of_an_agency():
    agency = AgencyFactory(code="moj", name_en="Ministry of Justice")

    out, _err = run("create", "fp", "--role", "focal_point", "--agency", "moj")

    assert User.objects.get(username="fp").agency == agency
    assert "agency moj (Ministry of Justice)" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "focal_point"], "A focal point needs --agency CODE"),
        (["--role", "focal_point", "--agency", "nope"], "no agency with the code “nope”"),
        (["--role", "viewer", "--agency", "moj"], "Only focal points belong to an agency"),
        (["--role", "boss"], "Unknown role 'boss'"),
    ],
)
def test_it_refuses_bad_roles_and_agencies_with_a_clear_message(args, message):
    AgencyFactory(code="moj")

    with pytest.raises(CommandError, match=re.escape(message)):
        run("create", "someone", *args)

    assert not User.objects.filter(username="someone").exists()


@pytest.mark.django_db
def test_it_refuses_an_existing_user_name():
    UserFactory(username="taken")

    with pytest.raises(CommandError, match="already exists"):
        run("create", "Taken", "--role", "viewer")


@pytest.mark.django_db
def test_it_prints_a_working_token_once_and_stores_only_its_digest(client):
    out, err = run("create", "robot", "--role", "viewer", "--token")

    raw = raw_token_in(out)
    assert "shown only now" in err
    assert ApiToken.objects.get().digest == ApiToken.digest_of(raw)
    response = client.get("/api/v1/audit/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["count"] >= 2  # the user and the token were both audited


@pytest.mark.django_db
def test_it_refuses_a_bad_token_with_401(client):
    run("create", "robot", "--role", "administrator", "--token")

    response = client.get("/api/v1/audit/", headers={"Authorization": "Bearer not-a-token"})

    assert response.status_code == 401


@pytest.mark.django_db
def test_it_gives_a_token_of_a_role_without_internal_access_403_on_the_audit_api(client):
    out, _err = run("create", "ngo", "--role", "civil_society", "--token")

    response = client.get(
        "/api/v1/audit/", headers={"Authorization": f"Bearer {raw_token_in(out)}"}
    )

    assert response.status_code == 403


@pytest.mark.django_db
def test_it_reads_the_password_from_stdin():
    out, _err = run(
        "create",
        "human",
        "--role",
        "coordinator",
        "--password-stdin",
        stdin=f"{STRONG_PASSWORD}\nignored\n",
    )

    assert User.objects.get(username="human").check_password(STRONG_PASSWORD)
    assert "with a password" in out


@pytest.mark.django_db
def test_it_refuses_a_weak_or_missing_password_from_stdin():
    with pytest.raises(CommandError, match="password"):
        run("create", "weak", "--role", "viewer", "--password-stdin", stdin="123\n")
    with pytest.raises(CommandError, match="had no password"):
        run("create", "empty", "--role", "viewer", "--password-stdin", stdin="")
    assert not User.objects.filter(username__in=["weak", "empty"]).exists()


@pytest.mark.django_db
def test_it_lists_users_with_role_and_agency():
    AgencyFactory(code="moj")
    run("create", "fp", "--role", "focal_point", "--agency", "moj")
    run("create", "boss", "--role", "administrator")

    out, _err = run("list")
    only_admins, _err = run("list", "--role", "administrator")

    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "ROLE", "AGENCY", "STATUS", "EMAIL"]
    assert lines[1].split()[:4] == ["boss", "administrator", "-", "active"]
    assert lines[2].split()[:4] == ["fp", "focal_point", "moj", "active"]
    assert "fp" not in only_admins


@pytest.mark.django_db
def test_it_issues_another_token_for_an_existing_user(client):
    run("create", "robot", "--role", "coordinator")

    out, _err = run("token", "robot", "--name", "nightly export")

    token = ApiToken.objects.get()
    assert token.name == "nightly export"
    response = client.get(
        "/api/v1/audit/", headers={"Authorization": f"Bearer {raw_token_in(out)}"}
    )
    assert response.status_code == 200
    with pytest.raises(CommandError, match="There is no user 'ghost'"):
        run("token", "ghost")


def test_it_runs_from_the_rightstrack_command_line():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "rightstrack.cli", "user", "create", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "--password-stdin" in result.stdout
    assert "--token" in result.stdout
