"""Matching the agencies a person wrote in a plan file to the agency list, tolerantly.

An agency is found by its code or by its name in any language, whatever the case, spacing and
punctuation ("Ministry of Justice", "ministry  of justice.", "moj-by"). What matches no agency is
proposed as a new one: the preview lists it, and it is created only when an administrator
confirms.
"""

from django.utils.text import slugify

from rightstrack.taxonomy.models import Agency

from .columns import normalized

MAX_CODE = 50


class AgencyMatcher:
    def __init__(self) -> None:
        self.by_name: dict[str, Agency | None] = {}
        for agency in Agency.objects.order_by("pk"):
            for name in (agency.code, agency.name_en, agency.name_ru):
                key = normalized(name)
                if not key:
                    continue
                # A name two agencies share names neither: the file must give the code.
                if key in self.by_name and self.by_name[key] != agency:
                    self.by_name[key] = None
                else:
                    self.by_name[key] = agency

    def find(self, name: str) -> Agency | None:
        return self.by_name.get(normalized(name))

    def is_ambiguous(self, name: str) -> bool:
        key = normalized(name)
        return key in self.by_name and self.by_name[key] is None

    def remember(self, name: str, agency: Agency) -> None:
        """An agency created during the import, found again by the name it was created from."""
        self.by_name[normalized(name)] = agency


def new_agency_code(name: str) -> str:
    """A code for a new agency made from its name, not yet taken."""
    base = slugify(name)[: MAX_CODE - 4].strip("-") or "agency"
    taken = set(Agency.objects.filter(code__startswith=base).values_list("code", flat=True))
    code, counter = base, 2
    while code in taken:
        code, counter = f"{base}-{counter}", counter + 1
    return code
