"""Input forms: they check the shape of the input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filtering import FilterForm
from rightstrack.core.roles import Role
from rightstrack.taxonomy.models import Agency

from .models import ApiToken


class UserFilterForm(FilterForm):
    """The user list's filters (see selectors.UserFilters)."""

    q = forms.CharField(label=_("Name or e-mail contains"), required=False, max_length=200)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Active and deactivated")),
            ("yes", _("Active only")),
            ("no", _("Deactivated only")),
        ],
    )
    agency = forms.CharField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, sorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [(option.key, option.label) for option in sorts]


def _agency_field(queryset):
    return forms.ModelChoiceField(
        label=_("Agency"),
        queryset=queryset,
        required=False,
        empty_label=_("(none)"),
        help_text=_("Required for focal points; leave empty for every other role."),
    )


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        required=False,
        help_text=_("What the token is for, e.g. “reporting script”."),
    )
    # A token acts as its owner for as long as it lives: whoever creates one proves they know
    # the password, so a session left open on a shared computer cannot mint one.
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if self.user is None or not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="password_incorrect")
        return password


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    agency = _agency_field(Agency.objects.filter(is_active=True))
    email = forms.EmailField(label=_("E-mail address"), required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to create the account without a password."),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned


class UserEditForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    # Inactive agencies stay selectable so an existing focal point can be edited.
    agency = _agency_field(Agency.objects.all())
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("A deactivated user can neither sign in nor use API tokens."),
    )

    @classmethod
    def initial_for(cls, user):
        return {name: getattr(user, name) for name in cls.base_fields}
