import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .choices import ActivationChannel, CivicRoleKind, InterfaceLanguage, RoleKind


class User(AbstractUser):
    """Anyone who signs in: a member, an official, a supporter who need not be a party member."""

    phone = models.CharField(_("phone"), max_length=15, null=True, blank=True, unique=True)
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("member record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    # Kept in step with the user's confirmed TOTP device by accounts.security.two_factor, so that deciding whether a
    # sign-in needs a second step costs no query.
    two_factor_enabled = models.BooleanField(_("two-factor sign-in"), default=False)
    # The interface language the user chose (accounts.language): kept on the account so that it follows the user
    # from phone to office computer; blank (never chosen) is Vietnamese, whatever the browser asks for.
    language = models.CharField(
        _("interface language"), max_length=8, choices=InterfaceLanguage.choices, blank=True, default=""
    )
    # Raised by "sign out everywhere": it is part of the session hash, so every earlier session stops working.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    AUDIT_EXCLUDE = ("password", "last_login")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Vietnamese order: family and middle names (last_name) before the given name (first_name).
        return f"{self.last_name} {self.first_name}".strip()

    def _get_session_auth_hash(self, secret=None):
        # Django signs each session with a hash of the password; adding the generation lets a user end every
        # session without changing the password. Generation 0 keeps Django's own hash: nobody is signed out
        # by the upgrade that introduced it.
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "accounts.User.session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self):
        today = timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today), starts_on__lte=today)


class RoleAssignment(models.Model):
    """A role held by a user on a unit; it covers the unit's whole subtree."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="roles")
    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=RoleKind.choices)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    # The first day without the role: a role revoked today stops working at once.
    ends_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], condition=Q(ends_on__isnull=True), name="one_open_role_per_user_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.unit}"


class CivicRole(models.Model):
    """A role outside the party tree (accounts.choices.CIVIC_ROLE_PERMISSIONS): held on an organisation (a People's
    Committee, one of its offices, an agency, a school...) or on a village / residential group. It reaches that
    body's or village's reports only, never the registry."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="civic_roles")
    kind = models.CharField(_("role"), max_length=32, choices=CivicRoleKind.choices)
    organisation = models.ForeignKey(
        "orgunits.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roles",
    )
    area = models.ForeignKey(
        "orgunits.AdminArea",
        verbose_name=_("village or residential group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="civic_roles",
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    # The first day without the role, as for party roles.
    ends_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("civic role")
        verbose_name_plural = _("civic roles")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, area__isnull=False)
                | Q(organisation__isnull=False, area__isnull=True),
                name="civic_role_has_one_place",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "organisation"],
                condition=Q(ends_on__isnull=True, organisation__isnull=False),
                name="one_open_civic_role_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "area"],
                condition=Q(ends_on__isnull=True, area__isnull=False),
                name="one_open_civic_role_per_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.place}"

    @property
    def place(self):
        return self.organisation if self.organisation_id else self.area


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(expires_at__gt=timezone.now(), revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the key is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Issued after a passed second step: only such tokens work for an account that requires two factors.
    second_factor = models.BooleanField(default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    # The hash is as good as the key against a copy of the database: never copy it into the change log.
    AUDIT_EXCLUDE = ("key_hash",)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)


class AccountUse(models.Model):
    """How and when a member's account came into use: activation channel and helper, first use, app install."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="account_use")
    activation_channel = models.CharField(
        _("activated through"), max_length=16, choices=ActivationChannel.choices, blank=True
    )
    activated_with_help_of = models.ForeignKey(
        User, verbose_name=_("helped by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_used_at = models.DateTimeField(_("first used at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    app_installed_at = models.DateTimeField(_("app installed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account use")
        verbose_name_plural = _("account use")

    def __str__(self) -> str:
        return str(self.user_id)


class ActivationCodeQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class ActivationCode(models.Model):
    """A one-time code that lets a member set their password. Only a keyed hash of the code is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=16, choices=ActivationChannel.choices)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A newer code for the same user replaces the older ones.
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ActivationCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        indexes = [models.Index(fields=["user", "used_at"], name="activation_code_user_used")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_channel_display()}"


class ActivationThrottle(models.Model):
    """Wrong activation codes per identifier: after too many, that identifier is locked for a while."""

    identifier = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.identifier


class DevicePinQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class DevicePin(models.Model):
    """A 6-digit PIN that signs one user in on one phone, for members who find passwords hard.

    It works only with the key kept in that phone's cookie (set when the member, signed in with the password,
    chose the PIN), so guessing PINs needs the phone itself; five wrong PINs revoke it. Only hashes are stored.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_pins")
    device_key_hash = models.CharField(max_length=64)
    pin_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = DevicePinQuerySet.as_manager()

    class Meta:
        verbose_name = _("PIN on a phone")
        verbose_name_plural = _("PINs on phones")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "device_key_hash"], condition=Q(revoked_at__isnull=True), name="one_pin_per_user_device"
            )
        ]
        indexes = [models.Index(fields=["device_key_hash"], name="device_pin_key")]

    def __str__(self) -> str:
        return f"{self.user_id} …{self.device_key_hash[:6]}"
