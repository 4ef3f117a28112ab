"""Model fields declared the same way by several apps."""

from typing import Any

from django.conf import settings
from django.db import models


def actor_field(
    verbose_name: Any = None, *, related_name: str = "+"
) -> "models.ForeignKey[Any, Any]":
    """Who started, created or decided something: optional, and kept (as empty) when the user is
    deleted, so that the record outlives the account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )
