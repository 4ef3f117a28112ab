"""The demo presences: YAML files in ``presences/demo/``, loaded through the services.

Loading is idempotent: a presence that already matches its file is left alone, so loading twice
writes nothing and records no audit entry.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.html import escape

from rightstrack.core.demo_loading import create_or_update

from .models import FeatureStory, Presence
from .services import (
    PRESENCE_FIELDS,
    STORY_FIELDS,
    feature_story_create,
    feature_story_update,
    presence_create,
    presence_set_published,
    presence_update,
)

DEMO_DIR = Path(__file__).resolve().parent / "demo"


@dataclass(frozen=True)
class LoadedPresence:
    presence: Presence
    outcome: str  # "created", "updated" or "unchanged"


def _paragraphs(value):
    """Rich text from the file: a list of plain paragraphs, or HTML as it stands."""
    if isinstance(value, list):
        return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in value)
    return value or ""


def _blank(name):
    field = Presence._meta.get_field(name)
    if field.many_to_many:
        return []
    if field.null:
        return None
    return field.default if isinstance(field.default, str) else ""


def _read(path):
    """The file's presence data, complete: a fact the file leaves out is blank (not reported),
    so the file is the whole truth about its presence."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    published = bool(raw.pop("is_published", False))
    stories = raw.pop("feature_stories", None) or []
    if "areas_of_focus" in raw:
        raw["areas_of_focus"] = _paragraphs(raw["areas_of_focus"])
    data = {name: _blank(name) for name in PRESENCE_FIELDS}
    data.update(raw)
    return data, published, stories


def _load_stories(*, actor, presence, stories):
    changed = False
    existing = {story.title: story for story in FeatureStory.objects.filter(presence=presence)}
    for data in stories:
        story = existing.get(data.get("title"))
        if story is None:
            feature_story_create(actor=actor, presence=presence, data=data)
            changed = True
        else:
            before = [getattr(story, name) for name in STORY_FIELDS]
            updated = feature_story_update(actor=actor, story=story, data=data)
            changed = changed or [getattr(updated, name) for name in STORY_FIELDS] != before
    return changed


@transaction.atomic
def presence_load_file(*, actor, path):
    """Create or update the presence described by one demo file."""
    data, published, stories = _read(path)
    presence, outcome = create_or_update(
        Presence.objects.filter(slug=data.get("slug")).first(),
        create=lambda: presence_create(actor=actor, data=data),
        update=lambda presence: presence_update(actor=actor, presence=presence, data=data),
    )
    if presence.is_published != published:
        presence = presence_set_published(actor=actor, presence=presence, published=published)
        outcome = "updated" if outcome == "unchanged" else outcome
    if _load_stories(actor=actor, presence=presence, stories=stories) and outcome == "unchanged":
        outcome = "updated"
    return LoadedPresence(presence=presence, outcome=outcome)


def demo_presences_load(*, actor, data_dir=DEMO_DIR):
    """Every demo presence file, in name order."""
    return [
        presence_load_file(actor=actor, path=path) for path in sorted(Path(data_dir).glob("*.yml"))
    ]
