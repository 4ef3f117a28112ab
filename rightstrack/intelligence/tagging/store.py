"""Saving and loading trained taggers: one joblib file per scheme under ``var/models/``.

The file keeps the tagger, what it was trained on (the files' names and digests, the sessions),
and the training examples themselves, so that ``tagger evaluate`` can train the baseline on the
same data in the same run and refuse to score a model on a file it was trained on.
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from rightstrack import __version__
from rightstrack.core.checksums import file_sha256

from .. import embeddings

FORMAT_VERSION = 1


class ModelNotFound(FileNotFoundError):
    pass


class ModelUnusable(ValueError):
    """The file is not a tagger of this scheme, or needs what this install lacks."""


def models_dir():
    return Path(settings.VAR_DIR) / "models"


def default_model_path(scheme_name):
    return models_dir() / f"{scheme_name}.joblib"


class Tagger(Protocol):
    """What suggesting needs of a trained tagger (MultiLabelTagger, SingleLabelTagger)."""

    def suggest(
        self, texts: list[str], *, min_confidence: float | None = None
    ) -> list[list[tuple[str, float]]]: ...


@dataclass
class SavedTagger:
    scheme: str
    tagger: Tagger

    trained_at: datetime | None = None

    training_files: list = field(default_factory=list)
    training_sessions: list | None = None
    training_texts: list = field(default_factory=list)
    training_labels: list = field(default_factory=list)
    versions: dict = field(default_factory=dict)
    path: Path | None = None
    digest: str = ""

    @property
    def training_digests(self):
        return {entry["sha256"] for entry in self.training_files}


def save_tagger(saved, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    saved.trained_at = saved.trained_at or timezone.now()
    import sklearn

    saved.versions = {"rightstrack": __version__, "scikit-learn": sklearn.__version__}
    payload = {
        "format": FORMAT_VERSION,
        "scheme": saved.scheme,
        "tagger": saved.tagger,
        "trained_at": saved.trained_at.isoformat(),
        "training_files": saved.training_files,
        "training_sessions": saved.training_sessions,
        "training_texts": saved.training_texts,
        "training_labels": saved.training_labels,
        "versions": saved.versions,
    }
    temporary = path.with_name(path.name + ".part")
    import joblib

    joblib.dump(payload, temporary, compress=3)
    # Replacing in one step: a running suggestion never reads a half-written model.
    temporary.replace(path)
    saved.path = path
    saved.digest = file_sha256(path)
    return saved


def load_tagger(path, *, scheme=None):
    path = Path(path)
    if not path.is_file():
        raise ModelNotFound(
            f"no trained model at {path}; train one with `rightstrack tagger train`"
        )
    try:
        # Only files this program wrote under var/models (or a path its operator names) are
        # ever loaded; joblib files are pickles and must not come from elsewhere.
        import joblib

        payload = joblib.load(path)
    except Exception as error:
        raise ModelUnusable(f"{path} is not a readable model file ({error})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
        raise ModelUnusable(f"{path} is not a rightstrack tagger model")
    if scheme is not None and payload["scheme"] != scheme:
        raise ModelUnusable(f"{path} is a model for {payload['scheme']}, not {scheme}")
    tagger = payload["tagger"]
    if getattr(tagger, "uses_embeddings", False) and not embeddings.available():
        raise ModelUnusable(
            f"{path} was trained with sentence embeddings; install the semantic extra "
            "or train it again without"
        )
    return SavedTagger(
        scheme=payload["scheme"],
        tagger=tagger,
        trained_at=datetime.fromisoformat(payload["trained_at"]),
        training_files=payload["training_files"],
        training_sessions=payload["training_sessions"],
        training_texts=payload["training_texts"],
        training_labels=payload["training_labels"],
        versions=payload["versions"],
        path=path,
        digest=file_sha256(path),
    )
