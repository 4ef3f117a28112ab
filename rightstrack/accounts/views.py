import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from rightstrack.audit.selectors import history_for
from rightstrack.core.roles import is_administrator
from rightstrack.core.web import ListPage, RoleCheck, add_service_errors, safe_next

from . import selectors, services, two_factor, two_factor_views
from .forms import ApiTokenCreateForm, UserCreateForm, UserEditForm, UserFilterForm
from .known_devices import known_device, remember_device
from .reauthentication import mark_reauthenticated, recent_authentication_required
from .throttling import client_ip

USERS_PER_PAGE = 50


def _locked_message(seconds):
    if seconds < 60:
        return ngettext(
            "Too many failed sign-in attempts. Try again in %(seconds)d second.",
            "Too many failed sign-in attempts. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = safe_next(request)
    context = {"next": next_url}
    if request.method != "POST":
        context["form"] = AuthenticationForm(request)
        return render(request, "accounts/login.html", context)

    username = request.POST.get("username", "")
    ip_address = client_ip(request)
    device = known_device(request, username)
    # Checked before the password is tested, so a right guess gains nothing while locked.
    locked_for = selectors.login_lock_remaining_seconds(
        username=username, ip_address=ip_address, device=device
    )
    if locked_for:
        context["form"] = AuthenticationForm(request, initial={"username": username})
        context["locked_message"] = _locked_message(locked_for)
        response = render(request, "accounts/login.html", context, status=429)
        response["Retry-After"] = str(locked_for)
        return response

    form = AuthenticationForm(request, data=request.POST)
    if form.is_valid():
        user = form.get_user()
        if two_factor.confirmed_device(user):
            two_factor_views.start_second_step(request, user, next_url)
            return redirect("accounts:login_code")
        auth_login(request, user)
        services.login_failures_clear(username=username, ip_address=ip_address, device=device)
        if two_factor.is_required_for(user):
            request.session[two_factor_views.SETUP_REQUIRED] = True
            setup = reverse("accounts:two_factor")
            response = redirect(f"{setup}?{urlencode({'next': next_url})}" if next_url else setup)
        else:
            response = redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        remember_device(request, response, username)
        return response
    services.login_failure_record(username=username, ip_address=ip_address, device=device)
    context["form"] = form
    return render(request, "accounts/login.html", context)


@require_POST
def logout_view(request):
    auth_logout(request)
    messages.success(request, _("You have signed out."))
    return redirect(safe_next(request) or resolve_url(settings.LOGOUT_REDIRECT_URL))


def admin_login_redirect(request, extra_context=None):
    """The Django admin signs in through the rate-limited sign-in page too."""
    target = safe_next(request, default=reverse("admin:index"))
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


def _me_context(request, **extra):
    return {
        "account": request.user,
        "tokens": selectors.api_tokens_of(user=request.user),
        "token_form": ApiTokenCreateForm(),
        "two_factor_device": two_factor.confirmed_device(request.user),
        "two_factor_required": two_factor.is_required_for(request.user),
        **extra,
    }


@never_cache
@login_required
def me_view(request):
    return render(request, "accounts/me.html", _me_context(request))


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_POST
def token_create_view(request):
    form = ApiTokenCreateForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            token, raw = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Shown in this response only: the raw token is never stored, not even in a message.
            context = _me_context(request, new_token=token, new_token_raw=raw)
            return render(request, "accounts/me.html", context)
    return render(request, "accounts/me.html", _me_context(request, token_form=form), status=422)


@login_required
@require_POST
def token_revoke_view(request, pk):
    token = get_object_or_404(selectors.revocable_api_tokens(user=request.user), pk=pk)
    owner = token.user
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The API token was revoked; it no longer works."))
    if owner.pk != request.user.pk:
        return redirect(safe_next(request) or reverse("accounts:user_edit", args=[owner.pk]))
    return redirect(safe_next(request) or reverse("accounts:me"))


@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=request.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:me")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


administrator_required = RoleCheck(
    is_administrator, gettext_lazy("Only administrators may manage users.")
).required

USER_LIST = ListPage(
    template="accounts/user_list.html",
    partial_template="accounts/_user_results.html",
    default_sort=selectors.DEFAULT_USER_SORT,
    sorts=selectors.USER_SORTS,
    per_page=USERS_PER_PAGE,
)


@administrator_required
def user_list_view(request):
    return USER_LIST.render(
        request,
        form=UserFilterForm(request.GET, sorts=selectors.USER_SORTS),
        rows=lambda filters: selectors.user_list(user=request.user, filters=filters),
    )


@sensitive_post_parameters("password", "password_confirm")
@administrator_required
@recent_authentication_required
@require_http_methods(["GET", "POST"])
def user_create_view(request):
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                username=data["username"],
                role=data["role"],
                agency=data["agency"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password"] or None,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("User %(name)s was created.") % {"name": user.username})
            return redirect("accounts:user_edit", pk=user.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/user_create.html", {"form": form}, status=status)


@sensitive_post_parameters("new_password1", "new_password2")
@administrator_required
@recent_authentication_required
@require_http_methods(["GET", "POST"])
def user_edit_view(request, pk):
    account = selectors.user_for_edit(user=request.user, pk=pk)
    if account is None:
        raise Http404
    form = UserEditForm(initial=UserEditForm.initial_for(account))
    password_form = SetPasswordForm(account)
    status = 200
    if request.method == "POST" and "set_password" in request.POST:
        password_form = SetPasswordForm(account, request.POST)
        if password_form.is_valid():
            try:
                services.user_set_password(
                    actor=request.user,
                    user=account,
                    password=password_form.cleaned_data["new_password1"],
                )
            except ValidationError as error:
                add_service_errors(password_form, error)
            else:
                if account.pk == request.user.pk:
                    update_session_auth_hash(request, account)
                messages.success(request, _("The password was changed."))
                return redirect("accounts:user_edit", pk=account.pk)
        status = 422
    elif request.method == "POST":
        form = UserEditForm(request.POST)
        if form.is_valid():
            try:
                services.user_update(actor=request.user, user=account, data=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("accounts:user_edit", pk=account.pk)
        status = 422
    context = {
        "account": account,
        "form": form,
        "password_form": password_form,
        "tokens": selectors.api_tokens_of(user=account),
        "two_factor_device": two_factor.confirmed_device(account),
        "history": history_for(user=request.user, obj=account),
    }
    return render(request, "accounts/user_edit.html", context, status=status)


@sensitive_post_parameters("password", "code")
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate_view(request):
    """Confirm the password (and the two-factor code, when the account has an app) before a
    security-sensitive change; counted like a sign-in."""
    user = request.user
    next_url = safe_next(request, default=resolve_url("accounts:me"))
    context = {"next": next_url, "needs_code": bool(two_factor.confirmed_device(user))}
    if request.method != "POST":
        return render(request, "accounts/reauthenticate.html", context)
    username = user.get_username()
    ip_address = client_ip(request)
    device = known_device(request, username)
    locked_for = selectors.login_lock_remaining_seconds(
        username=username, ip_address=ip_address, device=device
    )
    if locked_for:
        context["errors"] = [_locked_message(locked_for)]
        response = render(request, "accounts/reauthenticate.html", context, status=429)
        response["Retry-After"] = str(locked_for)
        return response
    password_ok = user.check_password(request.POST.get("password", ""))
    code_ok = not context["needs_code"] or (
        password_ok and two_factor.verify(user=user, code=request.POST.get("code", ""))
    )
    if password_ok and code_ok:
        mark_reauthenticated(request)
        services.login_failures_clear(username=username, ip_address=ip_address, device=device)
        return redirect(next_url)
    services.login_failure_record(username=username, ip_address=ip_address, device=device)
    context["errors"] = [
        _("That password is not right.") if not password_ok else _("That code is not right.")
    ]
    return render(request, "accounts/reauthenticate.html", context, status=422)
