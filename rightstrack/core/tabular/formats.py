"""The file formats a table can be written in."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TabularFormat:
    name: str
    label: str | Promise
    content_type: str
    # Written whole to a temporary file before it is sent (a zip archive is not streamable).
    spooled: bool = False


FORMATS = {
    "csv": TabularFormat("csv", _("CSV"), "text/csv; charset=utf-8"),
    "xlsx": TabularFormat(
        "xlsx",
        _("XLSX"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        spooled=True,
    ),
    "json": TabularFormat("json", _("JSON"), "application/json"),
}


def formats(*names: str) -> dict[str, TabularFormat]:
    """The formats an export offers, by name, in the order given."""
    return {name: FORMATS[name] for name in names}
