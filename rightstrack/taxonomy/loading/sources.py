"""Every source of terms, in the order they are read (parents before the terms that use them)."""

from pathlib import Path

from .builtin import BUILTIN_DIR, apply_overlays, read_builtin_terms
from .sdg import read_sdg
from .uhri import read_uhri
from .upr_info import read_upr_info_issues

BUILTIN_SOURCE = "built-in vocabularies"
DATA_SOURCES = (
    ("SDG goals and targets", read_sdg),
    ("UHRI themes and affected persons", read_uhri),
    ("UPR Info issues", read_upr_info_issues),
)
SOURCE_NAMES = (BUILTIN_SOURCE, *(name for name, _read in DATA_SOURCES))


def read_all(data_dir, *, builtin_dir=BUILTIN_DIR, on_source=None):
    """All term records from the built-in files and data_dir, with the overlays applied.

    data_dir None reads the built-in files only. ``on_source(name)`` is called before each
    source is read (for a progress bar).
    """
    builtin_dir = Path(builtin_dir)
    if on_source:
        on_source(BUILTIN_SOURCE)
    builtin = read_builtin_terms(builtin_dir)
    from_data = []
    for name, read in DATA_SOURCES if data_dir is not None else ():
        if on_source:
            on_source(name)
        from_data.extend(read(Path(data_dir)))
    return builtin + apply_overlays(from_data, builtin_dir)
