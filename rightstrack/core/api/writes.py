"""Creating and changing, from an API payload, objects that can be published.

A payload of such an object carries its fields and ``is_published``; the fields go to the app's
create or update service, the publication to its ``*_set_published`` service (which audits it
as its own action), both in one transaction. The services are named and called alike in every
app: ``<noun>_create(actor, data)``, ``<noun>_update(actor, <noun>, data)`` and
``<noun>_set_published(actor, <noun>, published)``.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.db import transaction
from ninja import Schema

Service = Callable[..., Any]


@dataclass(frozen=True)
class PublishableWrites:
    noun: str  # the services' keyword for the object, e.g. "plan"
    create_service: Service
    update_service: Service
    set_published_service: Service
    # Fields that, sent as null on creation, are left for the service to derive (a slug).
    derived_when_null: Collection[str] = ()

    @classmethod
    def of(cls, services: ModuleType, noun: str, **options: Any) -> "PublishableWrites":
        """The writes of ``services.<noun>_create``, ``_update`` and ``_set_published``."""
        return cls(
            noun=noun,
            create_service=getattr(services, f"{noun}_create"),
            update_service=getattr(services, f"{noun}_update"),
            set_published_service=getattr(services, f"{noun}_set_published"),
            **options,
        )

    def create(self, actor, payload: Schema):
        """Create from every field of the payload; publish it when ``is_published`` is true."""
        data = payload.model_dump(exclude={"is_published"})
        for name in self.derived_when_null:
            if data.get(name) is None:
                data.pop(name, None)
        with transaction.atomic():
            created = self.create_service(actor=actor, data=data)
            if payload.is_published:
                created = self._set_published(actor, created, True)
        return created

    def update(self, actor, current, payload: Schema):
        """Change the fields sent; publish or withdraw when ``is_published`` is sent."""
        data = payload.model_dump(exclude_unset=True, exclude={"is_published"})
        with transaction.atomic():
            if data:
                current = self.update_service(actor=actor, data=data, **{self.noun: current})
            if payload.is_published is not None:
                current = self._set_published(actor, current, payload.is_published)
        return current

    def _set_published(self, actor, instance, published: bool):
        return self.set_published_service(actor=actor, published=published, **{self.noun: instance})
