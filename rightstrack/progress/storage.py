"""Where uploaded evidence lives: under MEDIA_ROOT/evidence, outside the web root, with no URL.

Files are only ever served by the permission-checked download view; the stored name is random so
it reveals nothing and cannot be guessed.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="rightstrack.progress.storage.EvidenceStorage")
class EvidenceStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        # Follows MEDIA_ROOT (also when tests override it): FileSystemStorage clears this
        # cached value whenever MEDIA_ROOT changes.
        return self._value_or_setting(self._location, Path(settings.MEDIA_ROOT) / "evidence")

    def url(self, name):
        raise ValueError("Evidence files have no public URL; use the download view.")


evidence_storage = EvidenceStorage()


def evidence_upload_to(instance, filename):
    extension = Path(filename).suffix.lower()
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"
