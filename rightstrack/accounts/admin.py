"""The Django admin for administrators; user changes still go through the services."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiToken, LoginFailure, User
from .views import admin_login_redirect

# The admin's own sign-in form has no rate limit; send it to the one that has.
admin.site.login = admin_login_redirect


class AdminUserAddForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email", "role", "agency")

    def clean_username(self):
        try:
            return services.validate_new_username(self.cleaned_data.get("username"))
        except ValidationError as error:
            raise ValidationError(error.message_dict["username"]) from error

    def clean(self):
        cleaned = super().clean()
        if "role" in cleaned and "agency" in cleaned:
            try:
                services.validate_role_and_agency(cleaned["role"], cleaned["agency"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AdminUserChangeForm(UserChangeForm):
    # Set per request by UserAdmin.get_form: the checks depend on who is editing.
    actor = None

    class Meta(UserChangeForm.Meta):
        model = User

    def clean(self):
        cleaned = super().clean()
        data = {name: cleaned[name] for name in services.USER_UPDATABLE_FIELDS if name in cleaned}
        try:
            services.validate_user_changes(actor=self.actor, user=self.instance, data=data)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role"), {"fields": ("role", "agency", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "role",
                    "agency",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("username", "last_login", "date_joined")
    list_display = ("username", "email", "role", "agency", "is_active", "last_login")
    list_filter = ("role", "is_active", "agency")
    list_select_related = ("agency",)
    search_fields = ("username", "first_name", "last_name", "email")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            form.actor = request.user
        return form

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: the audit trail keeps pointing at them.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            stored = User.objects.get(pk=obj.pk)
            changes = {name: data[name] for name in services.USER_UPDATABLE_FIELDS if name in data}
            services.user_update(actor=request.user, user=stored, data=changes)
        else:
            created = services.user_create(
                username=data["username"],
                role=data["role"],
                agency=data.get("agency"),
                email=data.get("email", ""),
                password=data.get("password1") if data.get("set_usable_password") else None,
                actor=request.user,
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def user_change_password(self, request, id, form_url=""):
        # The site's own form sets passwords through the audited service.
        return redirect("accounts:user_edit", pk=id)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "digest", "created_at", "last_used_at")
    fields = readonly_fields

    def has_add_permission(self, request):
        # A token's raw value must be shown once at creation; the "My account" page does that.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.api_token_revoke(actor=request.user, token=obj)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            services.api_token_revoke(actor=request.user, token=token)


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "ip_address")
    list_filter = ("at",)
    search_fields = ("username", "ip_address")
    date_hierarchy = "at"
    readonly_fields = ("username", "ip_address", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
