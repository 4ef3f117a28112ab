"""The SHA-256 checksum of a file, the one way files are fingerprinted (an import already made,
a model's training data, a saved model)."""

import hashlib
from pathlib import Path


def file_sha256(path: str | Path) -> str:
    """The hex SHA-256 of the file at ``path``, read in blocks (files can be large)."""
    with Path(path).open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
