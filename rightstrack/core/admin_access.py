"""Admin pages for looking only, over records that change only through the services (which
validate and audit every write)."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """No adding, changing or deleting in the admin; who may look is Django's view permission."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class StaffReadOnlyAdminMixin(ReadOnlyAdminMixin):
    """Read-only, and every active staff member may look."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_staff
