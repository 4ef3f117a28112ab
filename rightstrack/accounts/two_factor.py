"""Two-factor sign-in with an authenticator app (TOTP) and one-time recovery codes: setting it
up, checking codes, turning it off. Writes are validated, atomic and audited like the other
account services.

Staff (administrators and coordinators) must use it when ``STAFF_TWO_FACTOR_REQUIRED`` is on;
everybody else may. API tokens are not affected: a token is made by a signed-in user and is
itself a secret.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audit_record
from rightstrack.core.roles import MANAGERS, is_administrator, role_of

from . import totp
from .models import RecoveryCode, TwoFactorDevice

ISSUER = "rightstrack"
RECOVERY_CODE_COUNT = 10


def _audit_account(*, actor, user, note):
    """Two-factor changes are recorded as changes to the user's account, said in the note."""
    audit_record(actor=actor, obj=user, action=AuditEntry.Action.UPDATE, note=note)


def is_required_for(user):
    return settings.STAFF_TWO_FACTOR_REQUIRED and role_of(user) in MANAGERS


def confirmed_device(user):
    if user is None or not user.is_authenticated:
        return None
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def _recovery_digest(code):
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()


def _new_recovery_codes(user):
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=_recovery_digest(code)) for code in codes
    )
    return codes


def pending_device(user):
    """The device begun but not confirmed yet, or None (a read: nothing is created)."""
    if user is None or not user.is_authenticated:
        return None
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=True).first()


def setup_begin(*, user):
    """The device being set up for user (a new key unless one is waiting for confirmation)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to set up two-factor sign-in."))
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            device = TwoFactorDevice.objects.create(user=user, secret=totp.new_secret())
        elif device.is_confirmed:
            raise ValidationError(_("Two-factor sign-in is already set up for this account."))
    return device


def provisioning(device):
    """What the person scans or types into the app: the otpauth URI and the grouped key."""
    uri = totp.provisioning_uri(device.secret, account=device.user.get_username(), issuer=ISSUER)
    return uri, totp.grouped(device.secret)


def setup_confirm(*, user, code):
    """Confirm the app with one of its codes; returns the recovery codes, shown only now."""
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        if device is None or device.is_confirmed:
            raise ValidationError(_("Start setting up two-factor sign-in first."))
        step = totp.matching_step(device.secret, code)
        if step is None:
            raise ValidationError(
                {"code": [_("That code is not right. Check the phone's clock and try again.")]}
            )
        device.confirmed_at = timezone.now()
        device.last_used_step = step
        device.save(update_fields=["confirmed_at", "last_used_step"])
        codes = _new_recovery_codes(user)
        _audit_account(actor=user, user=user, note=_("Two-factor sign-in set up"))
    return codes


def verify(*, user, code):
    """Whether code is the current app code (not used before) or an unused recovery code;
    a recovery code is used up."""
    with transaction.atomic():
        device = (
            TwoFactorDevice.objects.select_for_update()
            .filter(user=user, confirmed_at__isnull=False)
            .first()
        )
        if device is None:
            return False
        step = totp.matching_step(device.secret, code, after_step=device.last_used_step)
        if step is not None:
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
            return True
        used = RecoveryCode.objects.filter(
            user=user, digest=_recovery_digest(code or ""), used_at__isnull=True
        ).update(used_at=timezone.now())
        if used:
            _audit_account(actor=user, user=user, note=_("Signed in with a recovery code"))
        return bool(used)


def recovery_codes_left(user):
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def recovery_codes_renew(*, user, code):
    """New recovery codes (the old ones stop working), after a current app code."""
    if not verify(user=user, code=code):
        raise ValidationError({"code": [_("That code is not right.")]})
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        _audit_account(actor=user, user=user, note=_("New recovery codes"))
    return codes


def turn_off(*, actor, user, code=None):
    """Remove user's two-factor sign-in. Users turn off their own with a current code (not
    while their role requires it); administrators reset anybody's, e.g. after a lost phone."""
    if actor is None or is_administrator(actor):
        pass
    elif actor.pk != user.pk:
        raise PermissionDenied(
            _("Only administrators may reset another user's two-factor sign-in.")
        )
    elif is_required_for(user):
        raise ValidationError(
            _("Your role must sign in with two factors; it cannot be turned off.")
        )
    elif not verify(user=user, code=code):
        raise ValidationError({"code": [_("That code is not right.")]})
    with transaction.atomic():
        deleted, _counts = TwoFactorDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        if deleted:
            _audit_account(actor=actor, user=user, note=_("Two-factor sign-in removed"))
    return bool(deleted)
