"""The Sustainable Development Goals and targets from the open-sdg translation files.

``sdg/en_global_goals.yml`` has ``N-title`` and ``N-short`` per goal; ``sdg/en_global_targets.yml``
has ``N-M-title`` per target, M being a number or a letter (``1-a-title`` is target 1.a). The
Russian files have the same keys. Goal codes are "1" … "17", target codes "1.1" … "17.19".
"""

import re

from ..models import Scheme
from .files import read_yaml
from .records import TermRecord

GOAL_KEY = re.compile(r"^(?P<goal>[1-9]\d?)-(?P<field>title|short)$")
TARGET_KEY = re.compile(r"^(?P<goal>[1-9]\d?)-(?P<target>[1-9]\d?|[a-z])-title$")

FILES = {
    ("goals", "en"): "sdg/en_global_goals.yml",
    ("goals", "ru"): "sdg/ru_global_goals.yml",
    ("targets", "en"): "sdg/en_global_targets.yml",
    ("targets", "ru"): "sdg/ru_global_targets.yml",
}


def _entries(path, pattern, expected):
    """(match, text, value node) for each key of a flat YAML mapping, refusing other keys."""
    for key, _line, value in read_yaml(path).items("the file"):
        match = pattern.match(key)
        if match is None:
            raise value.error(f"unexpected key {key!r} (expected keys like {expected})")
        text = value.text(key)
        if not text:
            raise value.error(f"{key!r} is empty")
        yield match, text, value


def _target_order(code):
    goal, target = code.split(".")
    return int(goal), (int(target) if target.isdigit() else 100 + ord(target))


def read_sdg(data_dir):
    """17 goals and 169 targets (for the current files), English and Russian, as term records."""
    paths = {key: data_dir / relative for key, relative in FILES.items()}

    goals = {}
    for match, text, value in _entries(paths[("goals", "en")], GOAL_KEY, "'1-title', '1-short'"):
        code = match["goal"]
        record = goals.setdefault(
            code,
            TermRecord(
                scheme=Scheme.SDG_GOAL,
                code=code,
                label_en="",
                position=int(code),
                path=paths[("goals", "en")],
                line=value.line,
                aliases=[f"SDG {code}", f"Goal {code}"],
            ),
        )
        setattr(record, "label_en" if match["field"] == "title" else "short_label_en", text)
    for code, record in goals.items():
        if not record.label_en:
            raise record.error(f"goal {code} has a short title but no '{code}-title'")

    for match, text, value in _entries(paths[("goals", "ru")], GOAL_KEY, "'1-title', '1-short'"):
        record = goals.get(match["goal"])
        if record is None:
            raise value.error(f"goal {match['goal']} is not in {FILES[('goals', 'en')]}")
        setattr(record, "label_ru" if match["field"] == "title" else "short_label_ru", text)

    targets = {}
    for match, text, value in _entries(paths[("targets", "en")], TARGET_KEY, "'1-1-title'"):
        goal, code = match["goal"], f"{match['goal']}.{match['target']}"
        if goal not in goals:
            raise value.error(f"target {code}: goal {goal} is not in {FILES[('goals', 'en')]}")
        targets[code] = TermRecord(
            scheme=Scheme.SDG_TARGET,
            code=code,
            label_en=text,
            parent_scheme=Scheme.SDG_GOAL,
            parent_code=goal,
            path=paths[("targets", "en")],
            line=value.line,
            aliases=[f"Target {code}"],
        )
    for match, text, value in _entries(paths[("targets", "ru")], TARGET_KEY, "'1-1-title'"):
        code = f"{match['goal']}.{match['target']}"
        if code not in targets:
            raise value.error(f"target {code} is not in {FILES[('targets', 'en')]}")
        targets[code].label_ru = text

    for position, code in enumerate(sorted(targets, key=_target_order), start=1):
        targets[code].position = position
    return [*sorted(goals.values(), key=lambda record: record.position), *targets.values()]
