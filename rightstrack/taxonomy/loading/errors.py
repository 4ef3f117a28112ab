from pathlib import Path


class VocabularyFileError(Exception):
    """A vocabulary file is missing or malformed; names the file and, when known, the line."""

    def __init__(self, path, line, message):
        self.path = Path(path)
        self.line = line
        self.message = str(message)
        super().__init__(self.location + ": " + self.message)

    @property
    def location(self):
        return f"{self.path}:{self.line}" if self.line else str(self.path)
