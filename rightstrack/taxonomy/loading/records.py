from dataclasses import dataclass, field
from pathlib import Path

from .errors import VocabularyFileError


@dataclass
class TermRecord:
    """One term as a source file states it, before it is matched with the database."""

    scheme: str
    code: str
    label_en: str
    label_ru: str = ""
    short_label_en: str = ""
    short_label_ru: str = ""
    description_en: str = ""
    description_ru: str = ""
    parent_scheme: str = ""
    parent_code: str = ""
    aliases: list[str] = field(default_factory=list)
    position: int = 0
    # Where the term was read, for error messages about it (an unknown parent, a duplicate).
    path: Path | None = None
    line: int | None = None

    def __post_init__(self):
        # Scheme members and plain strings must make the same dictionary keys.
        self.scheme = str(self.scheme)
        self.parent_scheme = str(self.parent_scheme)

    @property
    def key(self):
        return (self.scheme, self.code)

    @property
    def parent_key(self):
        return (self.parent_scheme, self.parent_code) if self.parent_code else None

    def error(self, message):
        return VocabularyFileError(self.path, self.line, message)

    def add_aliases(self, names):
        for name in names:
            if name and name not in self.aliases and name != self.label_en:
                self.aliases.append(name)
