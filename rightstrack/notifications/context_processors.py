from django.utils.functional import SimpleLazyObject

from .selectors import work_for_request


def work(request):
    """``my_work``: what waits for the user, counted only when a template shows it (the menu)."""
    return {"my_work": SimpleLazyObject(lambda: work_for_request(request))}
