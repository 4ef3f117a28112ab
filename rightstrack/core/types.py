"""The user types every service and selector signature names, without importing accounts.

The django-stubs plugin resolves ``User`` to ``settings.AUTH_USER_MODEL`` when type checking,
so core stays below accounts in the layers and signatures still see the project's own fields
(role, agency). At run time the names are the Django base classes.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.models import AnonymousUser

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
else:
    from django.contrib.auth.base_user import AbstractBaseUser as User

#: Whoever asks to read: a signed-in user or an anonymous visitor (public pages).
AnyUser: TypeAlias = User | AnonymousUser

#: A list's filters, as its filter form's ``filters()`` or the API's query schema give them
#: ({name: value}); each app's filter function documents the names it reads.
Filters: TypeAlias = Mapping[str, Any]

__all__ = ["AnyUser", "Filters", "User"]
