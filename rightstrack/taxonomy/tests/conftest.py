"""Data directories for the loader tests: a tiny one written here, and copies of the real one."""

import shutil
from pathlib import Path

import pytest

from rightstrack.taxonomy.loading.builtin import BUILTIN_DIR

TINY_FILES = {
    "sdg/en_global_goals.yml": (
        "1-short: First goal\n"
        "1-title: The first goal, in full\n"
        "2-short: Second goal\n"
        "2-title: The second goal, in full,\n"
        "  folded over two lines\n"
    ),
    "sdg/ru_global_goals.yml": (
        "1-short: Первая цель\n1-title: Первая цель полностью\n2-title: Вторая цель полностью\n"
    ),
    "sdg/en_global_targets.yml": (
        "1-1-title: Target one of goal one\n"
        "1-a-title: Target a of goal one\n"
        "2-1-title: Target one of goal two\n"
    ),
    "sdg/ru_global_targets.yml": "1-1-title: Задача 1.1\n1-a-title: Задача 1.a\n",
    "taxonomy/uhri_taxonomy_from_impactoss_seeds.csv": (
        "taxonomy,reference,title,short_title\n"
        "uhri_issue_level1,A,Scope and cooperation,Scope\n"
        'uhri_issue_level2,A1,"Scope, obligations",Obligations\n'
        "uhri_issue_level2,A2,Cooperation,Cooperation\n"
        "uhri_affected_persons,,Children,Children\n"
        "uhri_affected_persons,,Women & girls,W&G\n"
    ),
}
# The UPR Info export as it really comes: Mac Roman bytes, CR line endings.
TINY_UPR_INFO = (
    "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\r"
    'Belarus,EEG,CIS,"Ratify the convention, soon",France,WEOG,EU,Accepted,5,'
    '"Justice,Women\'s rights",8\r'
    "Belarus,EEG,CIS,Do more,Chile,GRULAC,,Noted,4,Rights of the Child,8\r"
    "C\u00f4te d'Ivoire,Africa,AU,Continue,Togo,Africa,AU,Accepted,2,"
    '"\u00c9ducation civique,Justice",8\r'
)


def write_tiny_data(root):
    for relative, text in TINY_FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    upr_info = root / "upr-info" / "upr-info-sessions-1-1.csv"
    upr_info.parent.mkdir(parents=True, exist_ok=True)
    upr_info.write_bytes(TINY_UPR_INFO.encode("mac_roman"))
    return root


@pytest.fixture
def tiny_data_dir(tmp_path):
    return write_tiny_data(tmp_path / "data")


@pytest.fixture
def builtin_copy(tmp_path):
    """A writable copy of the built-in vocabularies, to corrupt."""
    return Path(shutil.copytree(BUILTIN_DIR, tmp_path / "vocabularies"))


@pytest.fixture
def real_data_copy(shared_data_dir, tmp_path):
    """The real data directory as symbolic links, so that one file can be replaced by a bad copy.

    ``real_data_copy.edit("sdg/en_global_goals.yml", change)`` replaces that file by
    ``change(original text)`` (decoded as UTF-8 or Mac Roman, written back as UTF-8).
    """
    root = tmp_path / "data"
    for source in shared_data_dir.rglob("*"):
        if source.is_file():
            target = root / source.relative_to(shared_data_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source)

    class Copy:
        path = root

        @staticmethod
        def edit(relative, change):
            target = root / relative
            raw = target.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("mac_roman")
            target.unlink()
            target.write_text(change(text), encoding="utf-8", newline="")
            return target

    return Copy
