"""Writes to users, API tokens and failed sign-ins: validated, permission-checked, audited."""

import secrets
from datetime import timedelta
from typing import TypedDict, cast

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audit_record, audited
from rightstrack.core.roles import Role, is_administrator
from rightstrack.core.types import AnyUser
from rightstrack.taxonomy.models import Agency

from .models import ApiToken, LoginFailure, User
from .throttling import login_name_key, normalized_ip

USER_AUDIT_FIELDS = ("username", "email", "first_name", "last_name", "role", "agency", "is_active")
API_TOKEN_AUDIT_FIELDS = ("user", "name", "prefix")
USER_UPDATABLE_FIELDS = ("email", "first_name", "last_name", "role", "agency", "is_active")
MAX_API_TOKENS_PER_USER = 20
API_TOKEN_NAME_MAX_LENGTH = cast(int, ApiToken._meta.get_field("name").max_length)
# Old failures no longer lock anything; they are kept this long for the admin to look at.
LOGIN_FAILURE_RETENTION = timedelta(days=30)


class UserData(TypedDict, total=False):
    """What an administrator changes on a user; an update gives only those it changes."""

    email: str
    first_name: str
    last_name: str
    role: str  # a Role value
    agency: Agency | str | None  # an Agency or its code
    is_active: bool


def _require_administrator(actor: AnyUser | None) -> None:
    if not is_administrator(actor):
        raise PermissionDenied(_("Only administrators may manage users."))


def _resolve_agency(value: Agency | str | None) -> Agency | None:
    """An Agency from an Agency, a code, or nothing; raises for an unknown code."""
    if value is None or value == "":
        return None
    if isinstance(value, Agency):
        return value
    agency = Agency.objects.filter(code=str(value).strip()).first()
    if agency is None:
        raise ValidationError(
            {"agency": [_("There is no agency with the code “%(code)s”.") % {"code": value}]}
        )
    return agency


def validate_role_and_agency(
    role: str, agency: Agency | None, *, previous_agency_id: int | None = None
) -> None:
    """A focal point belongs to exactly one (active) agency; no other role belongs to any."""
    if role not in Role.values:
        raise ValidationError(
            {
                "role": [
                    _("Unknown role “%(role)s”. Choose one of: %(roles)s.")
                    % {"role": role, "roles": ", ".join(Role.values)}
                ]
            }
        )
    if role == Role.FOCAL_POINT and agency is None:
        raise ValidationError({"agency": [_("A focal point must belong to an agency.")]})
    if role != Role.FOCAL_POINT and agency is not None:
        raise ValidationError({"agency": [_("Only focal points belong to an agency.")]})
    if agency is not None and not agency.is_active and agency.pk != previous_agency_id:
        raise ValidationError({"agency": [_("This agency is no longer active.")]})


def _clean_email(email: str | None) -> str:
    email = User.objects.normalize_email((email or "").strip())
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ValidationError({"email": error.messages}) from error
    return email


def validate_new_username(username: str | None) -> str:
    """The user name normalised, or ValidationError when it is malformed or already taken."""
    username = User.normalize_username((username or "").strip())
    max_length = cast(int, User._meta.get_field("username").max_length)
    if not username:
        raise ValidationError({"username": [_("A user name is required.")]})
    if len(username) > max_length:
        raise ValidationError(
            {"username": [_("At most %(count)d characters.") % {"count": max_length}]}
        )
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from error
    # Names differing only by case would be indistinguishable when people read them.
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("A user with that user name already exists.")]})
    return username


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


def _sync_staff_flags(user: User) -> None:
    # Administrators run the Django admin too; nobody else gets in there.
    user.is_staff = user.is_superuser = user.role == Role.ADMINISTRATOR


def user_create(
    *,
    username: str,
    role: str,
    agency: Agency | str | None = None,
    email: str = "",
    password: str | None = None,
    actor: AnyUser | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a user. ``agency`` is an Agency or its code; ``password`` None → unusable password
    (the user then signs in only after one is set, or uses API tokens).

    ``actor`` None means the system (the command line, the demo loader); a signed-in actor must
    be an administrator.
    """
    if actor is not None:
        _require_administrator(actor)
    username = validate_new_username(username)
    agency = _resolve_agency(agency)
    validate_role_and_agency(role, agency)
    user = User(
        username=username,
        email=_clean_email(email),
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        role=role,
        agency=agency,
    )
    _sync_staff_flags(user)
    if password:
        _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    with audited(actor, user, USER_AUDIT_FIELDS, action=AuditEntry.Action.CREATE):
        user.save()
    return user


def validate_user_changes(*, actor: AnyUser, user: User, data: UserData) -> UserData:
    """Check changes to a user without saving them; returns the cleaned values.

    Raises ValidationError ({field: [messages]}) or PermissionDenied like ``user_update``.
    """
    _require_administrator(actor)
    unknown = sorted(set(data) - set(USER_UPDATABLE_FIELDS))
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    role = data.get("role", user.role)
    agency = _resolve_agency(data["agency"]) if "agency" in data else user.agency
    validate_role_and_agency(role, agency, previous_agency_id=user.agency_id)
    is_active = bool(data.get("is_active", user.is_active))
    if user.pk == actor.pk:
        # Keeps the last administrator from locking everybody out of user management.
        if role != Role.ADMINISTRATOR:
            raise ValidationError(
                {"role": [_("You cannot take away your own administrator role.")]}
            )
        if not is_active:
            raise ValidationError({"is_active": [_("You cannot deactivate your own account.")]})
    cleaned: UserData = {"role": role, "agency": agency, "is_active": is_active}
    if "email" in data:
        cleaned["email"] = _clean_email(data["email"])
    for name in ("first_name", "last_name"):
        if name in data:
            cleaned[name] = (data[name] or "").strip()
    return cleaned


def user_update(*, actor: AnyUser, user: User, data: UserData) -> User:
    """Change a user's e-mail, names, role, agency or active flag (administrators only).

    ``data`` holds only the fields to change; ``agency`` is an Agency, its code or None.
    """
    cleaned = validate_user_changes(actor=actor, user=user, data=data)
    with audited(actor, user, USER_AUDIT_FIELDS, skip_unchanged=True):
        for name, value in cleaned.items():
            setattr(user, name, value)
        _sync_staff_flags(user)
        user.save()
    return user


def user_set_password(*, actor: AnyUser | None, user: User, password: str) -> User:
    """Set a new password: the user themself or an administrator. The value is never audited."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to change a password."))
    if actor.pk != user.pk:
        _require_administrator(actor)
    if not password:
        raise ValidationError({"password": [_("A password is required.")]})
    _validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save(update_fields=["password"])
        audit_record(
            actor=actor, obj=user, action=AuditEntry.Action.UPDATE, note=_("password changed")
        )
    return user


def _may_handle_tokens_of(actor: AnyUser | None, user: User) -> bool:
    return actor is None or actor.pk == user.pk or is_administrator(actor)


def api_token_create(
    *, user: User, name: str = "", actor: AnyUser | None = None
) -> tuple[ApiToken, str]:
    """A new API token for user. Returns (token, raw token); only the digest is stored, so the
    raw token must be shown to the person now and is never available again.

    ``actor`` None means the system (the command line); otherwise the user or an administrator.
    """
    if actor is not None and not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to create an API token."))
    if not _may_handle_tokens_of(actor, user):
        raise PermissionDenied(_("You may not create API tokens for another user."))
    if not user.is_active:
        raise ValidationError({"user": [_("This account is deactivated.")]})
    name = (name or "").strip()
    if len(name) > API_TOKEN_NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": [_("At most %(count)d characters.") % {"count": API_TOKEN_NAME_MAX_LENGTH}]}
        )
    with transaction.atomic():
        # Locks the user row so two concurrent requests cannot both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.filter(user=user).count() >= MAX_API_TOKENS_PER_USER:
            raise ValidationError(
                {
                    "name": [
                        _("This account already has %(count)d API tokens; revoke one first.")
                        % {"count": MAX_API_TOKENS_PER_USER}
                    ]
                }
            )
        raw = secrets.token_urlsafe(32)
        token = ApiToken(user=user, name=name, digest=ApiToken.digest_of(raw), prefix=raw[:8])
        with audited(actor, token, API_TOKEN_AUDIT_FIELDS, action=AuditEntry.Action.CREATE):
            token.save(force_insert=True)
    return token, raw


def api_token_revoke(*, actor: AnyUser | None, token: ApiToken) -> None:
    """Delete a token so it no longer authenticates: its owner or an administrator."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to revoke an API token."))
    if not _may_handle_tokens_of(actor, token.user):
        raise PermissionDenied(_("You may not revoke another user's API token."))
    with audited(
        actor,
        token,
        API_TOKEN_AUDIT_FIELDS,
        action=AuditEntry.Action.DELETE,
        note=_("API token revoked"),
    ):
        token.delete()


def login_failure_record(
    *, username: str, ip_address: str | None, device: str = ""
) -> LoginFailure:
    """Remember one failed sign-in for the account name tried, the address it came from and
    the known device it was made on ("" for any other browser)."""
    now = timezone.now()
    with transaction.atomic():
        LoginFailure.objects.filter(at__lt=now - LOGIN_FAILURE_RETENTION).delete()
        return LoginFailure.objects.create(
            username=login_name_key(username), ip_address=normalized_ip(ip_address), device=device
        )


def login_failures_clear(*, username: str, ip_address: str | None, device: str = "") -> None:
    """Forget an account's failures from this address (or this known device) after it signed in
    from there; failures from other addresses still count against those addresses."""
    failures = LoginFailure.objects.filter(username=login_name_key(username), device=device)
    if not device:
        failures = failures.filter(ip_address=normalized_ip(ip_address))
    failures.delete()
