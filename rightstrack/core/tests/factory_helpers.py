"""What the apps' test factories share."""

import factory


def related_set(field: str) -> factory.PostGeneration:
    """A factory argument that sets a many-to-many field after the object is saved:
    ``ActivityFactory(partners=[organization])``."""

    def setter(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, field).set(extracted)

    return factory.PostGeneration(setter)
