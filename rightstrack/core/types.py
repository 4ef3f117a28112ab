"""The user types every service and selector signature names, without importing accounts.

The django-stubs plugin resolves ``User`` to ``settings.AUTH_USER_MODEL`` when type checking,
so core stays below accounts in the layers and signatures still see the project's own fields
(role, agency). At run time the names are the Django base classes.
"""

from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
else:
    from django.contrib.auth.base_user import AbstractBaseUser as User

#: Whoever asks to read: a signed-in user or an anonymous visitor (public pages).
AnyUser: TypeAlias = User | AnonymousUser

__all__ = ["AnyUser", "User"]
