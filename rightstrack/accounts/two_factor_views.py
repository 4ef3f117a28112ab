"""The pages of two-factor sign-in: the code asked after the password, setting the app up,
recovery codes, turning it off, and an administrator's reset."""

import io
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from rightstrack.core.web import safe_next

from . import selectors, services, two_factor
from .known_devices import known_device, remember_device
from .models import User
from .reauthentication import recent_authentication_required
from .throttling import client_ip

PENDING_SIGN_IN = "two_factor_pending"
SETUP_REQUIRED = "two_factor_setup_required"
# The password step is forgotten if the code does not follow within this time.
PENDING_SECONDS = 300


def start_second_step(request, user, next_url):
    """After a right password: remember who is signing in and ask for the code."""
    request.session.cycle_key()
    request.session[PENDING_SIGN_IN] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
    }


def _pending(request):
    pending = request.session.get(PENDING_SIGN_IN)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_SIGN_IN, None)
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return pending, user


def _error_messages(error, field="code"):
    if hasattr(error, "error_dict"):
        return error.message_dict.get(field, []) + error.message_dict.get("__all__", [])
    return error.messages


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_code_view(request):
    pending, user = _pending(request)
    if user is None:
        messages.info(request, _("Sign in with your password first."))
        return redirect("accounts:login")
    context = {"pending_user": user}
    if request.method == "GET":
        return render(request, "accounts/login_code.html", context)

    ip_address = client_ip(request)
    username = user.get_username()
    device = known_device(request, username)
    locked_for = selectors.login_lock_remaining_seconds(
        username=username, ip_address=ip_address, device=device
    )
    if locked_for:
        request.session.pop(PENDING_SIGN_IN, None)
        messages.error(request, _("Too many failed sign-in attempts. Try again later."))
        response = redirect("accounts:login")
        response["Retry-After"] = str(locked_for)
        return response
    if two_factor.verify(user=user, code=request.POST.get("code", "")):
        request.session.pop(PENDING_SIGN_IN, None)
        auth_login(request, user, backend=pending["backend"])
        services.login_failures_clear(username=username, ip_address=ip_address, device=device)
        if not two_factor.recovery_codes_left(user):
            messages.warning(request, _("You have no recovery codes left; make new ones now."))
            response = redirect("accounts:two_factor")
        else:
            response = redirect(pending["next"] or resolve_url(settings.LOGIN_REDIRECT_URL))
        remember_device(request, response, username)
        return response
    services.login_failure_record(username=username, ip_address=ip_address, device=device)
    context["errors"] = [_("That code is not right, or it was used already.")]
    return render(request, "accounts/login_code.html", context, status=422)


def _qr_svg(uri):
    stream = io.BytesIO()
    segno.make(uri, error="m").save(
        stream, kind="svg", scale=5, xmldecl=False, svgns=True, title=_("Set-up code")
    )
    # Generated here from the key alone; nothing of it comes from user input.
    return mark_safe(stream.getvalue().decode("utf-8"))  # noqa: S308


def _page(request, **extra):
    user = request.user
    device = two_factor.confirmed_device(user)
    context = {
        "device": device,
        "required": two_factor.is_required_for(user),
        "codes_left": two_factor.recovery_codes_left(user) if device else 0,
        "setup_required": request.session.get(SETUP_REQUIRED, False),
        "next": safe_next(request),
        **extra,
    }
    # Reading the page creates nothing: the key is made by the "Set up" button (a POST).
    pending = two_factor.pending_device(user) if device is None else None
    if pending is not None and "recovery_codes" not in extra:
        uri, key = two_factor.provisioning(pending)
        context.update(qr_svg=_qr_svg(uri), setup_key=key, setup_uri=uri)
    return context


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def two_factor_view(request):
    if request.method == "GET":
        return render(request, "accounts/two_factor.html", _page(request))
    action = request.POST.get("action")
    code = request.POST.get("code", "")
    try:
        if action == "begin":
            two_factor.setup_begin(user=request.user)
            return render(request, "accounts/two_factor.html", _page(request))
        if action == "confirm":
            codes = two_factor.setup_confirm(user=request.user, code=code)
            request.session.pop(SETUP_REQUIRED, None)
            messages.success(request, _("Two-factor sign-in is on."))
            return render(request, "accounts/two_factor.html", _page(request, recovery_codes=codes))
        if action == "renew":
            codes = two_factor.recovery_codes_renew(user=request.user, code=code)
            messages.success(request, _("New recovery codes made; the old ones no longer work."))
            return render(request, "accounts/two_factor.html", _page(request, recovery_codes=codes))
        if action == "off":
            two_factor.turn_off(actor=request.user, user=request.user, code=code)
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("accounts:me")
    except ValidationError as error:
        context = _page(request, errors=_error_messages(error), action=action)
        return render(request, "accounts/two_factor.html", context, status=422)
    return redirect("accounts:two_factor")


@login_required
@require_POST
@recent_authentication_required
def two_factor_reset_view(request, pk):
    user = get_object_or_404(User, pk=pk)
    two_factor.turn_off(actor=request.user, user=user)
    messages.success(
        request,
        _("Two-factor sign-in of %(name)s was reset; they set it up again at their next sign-in.")
        % {"name": user.get_username()},
    )
    return redirect("accounts:user_edit", pk=user.pk)
