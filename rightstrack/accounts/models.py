import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from rightstrack.core.roles import Role
from rightstrack.taxonomy.models import agency_field


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    agency = agency_field(
        _("agency"),
        related_name="users",
        help_text=_("The government agency a focal point works for."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(raw_token):
        return hashlib.sha256(raw_token.encode()).hexdigest()


class LoginFailure(models.Model):
    """One failed sign-in; recent ones for an account or address lock further tries."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    # The known device the try came from (known_devices.py); "" for any other browser.
    device = models.CharField(max_length=32, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self):
        when = f"{self.at:%Y-%m-%d %H:%M:%S} " if self.at else ""
        return f"{when}{self.username} from {self.ip_address or '?'}"


class TwoFactorDevice(models.Model):
    """A user's authenticator app: the shared TOTP key and the last time step used with it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(_("set up on"), null=True, blank=True)
    # Codes of this step or earlier are refused, so an overheard code cannot be replayed.
    last_used_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self):
        return f"{self.user}: {_('authenticator app')}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-time code for signing in without the authenticator app; only its digest is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self):
        return f"{self.user}: {_('recovery code')}"
