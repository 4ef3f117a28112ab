"""The user's notifications and their settings; thin over the selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rightstrack.core.listing import paginate
from rightstrack.core.web import safe_url

from . import services
from .forms import SettingsForm
from .selectors import notification_list, settings_for


@login_required
def notification_list_view(request):
    page = paginate(notification_list(user=request.user), page=request.GET.get("page"))
    form = SettingsForm(instance=settings_for(user=request.user))
    return render(request, "notifications/list.html", {"page": page, "form": form})


@login_required
def notification_open_view(request, pk):
    """Open a notification: mark it read and go where it points."""
    notification = services.notification_open(user=request.user, pk=pk)
    return redirect(safe_url(request, notification.url) or "notifications:list")


@login_required
@require_POST
def mark_read_view(request):
    count = services.notifications_mark_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked read.", "%(count)d notifications marked read.", count
        )
        % {"count": count},
    )
    return redirect("notifications:list")


@login_required
@require_POST
def settings_view(request):
    form = SettingsForm(request.POST, instance=settings_for(user=request.user))
    if form.is_valid():
        services.notification_settings_update(user=request.user, data=form.cleaned_data)
        messages.success(request, _("Your notification settings were saved."))
    else:
        messages.error(request, _("The settings could not be saved."))
    return redirect("notifications:list")
