"""Model fields declared the same way by several apps."""

from typing import Any

from django.conf import settings
from django.db import models


def actor_field(
    verbose_name: Any = None, *, related_name: str = "+", blank: bool = True
) -> "models.ForeignKey[Any, Any]":
    """Who started, wrote, created or decided something: kept (as empty) when the user is
    deleted, so that the record outlives the account. ``blank=False`` where a form must name
    somebody (an author)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )
