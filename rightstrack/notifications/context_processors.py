from django.utils.functional import SimpleLazyObject

from .selectors import waiting_for_request


def work(request):
    """``my_work``: what waits for the user, and ``unread_notifications``: how many of their
    notifications are unread; counted (in one query) only when a template shows them."""
    return {
        "my_work": SimpleLazyObject(lambda: waiting_for_request(request).work),
        "unread_notifications": SimpleLazyObject(lambda: waiting_for_request(request).unread),
    }
