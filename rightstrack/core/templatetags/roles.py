"""Role checks for templates: ``{% load roles %}{% if request.user|can_manage %}…{% endif %}``.

They only decide what to show (links, sections); the views and services still check.
"""

from django import template

from rightstrack.core import roles

register = template.Library()


def _user_or_none(user):
    return user if hasattr(user, "is_authenticated") else None


@register.filter
def can_read_internal(user):
    return roles.can_read_internal(_user_or_none(user))


@register.filter
def can_manage(user):
    return roles.can_manage(_user_or_none(user))


@register.filter
def is_administrator(user):
    return roles.is_administrator(_user_or_none(user))
