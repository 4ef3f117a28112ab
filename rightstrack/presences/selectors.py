from rightstrack.accounts.roles import can_read_internal

from .models import Presence


def presence_list(*, user, filters):
    presences = Presence.objects.select_related("country")
    if not can_read_internal(user):
        presences = presences.filter(is_published=True)
    return presences.order_by("title")
