"""Reading YAML and CSV so that every problem can be reported with its file and line."""

import csv
import io
from dataclasses import dataclass

import yaml

from .errors import VocabularyFileError

# libyaml's parser, when PyYAML was built with it, reads the SDG files several times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_bytes(path):
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise VocabularyFileError(path, None, "file not found") from None
    except IsADirectoryError:
        raise VocabularyFileError(path, None, "is a directory, not a file") from None
    except OSError as error:
        raise VocabularyFileError(path, None, f"cannot be read ({error.strerror})") from None


def read_text(path, *, legacy_encoding=None):
    """The text of a file in UTF-8, or in legacy_encoding when it is not valid UTF-8.

    The UPR Info exports are Mac Roman; every file we write ourselves is UTF-8.
    """
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if legacy_encoding:
            return raw.decode(legacy_encoding)
        line = raw[: error.start].count(b"\n") + 1
        raise VocabularyFileError(path, line, "is not valid UTF-8 text") from None


# YAML


@dataclass(frozen=True)
class YamlNode:
    """A YAML node with the file and line it starts on; scalars are kept as text."""

    node: yaml.Node
    path: object

    @property
    def line(self):
        return self.node.start_mark.line + 1

    @property
    def is_mapping(self):
        return isinstance(self.node, yaml.MappingNode)

    def error(self, message):
        return VocabularyFileError(self.path, self.line, message)

    def text(self, what="value"):
        if not isinstance(self.node, yaml.ScalarNode):
            raise self.error(f"{what} must be text")
        # Plain `~` or nothing means no value; everything else is text exactly as written.
        plain = not self.node.style  # None from PyYAML's parser, "" from libyaml's
        if plain and self.node.value in ("", "~", "null"):
            return ""
        return self.node.value.strip()

    def items(self, what="this"):
        """(key, value node) pairs of a mapping, refusing duplicate keys."""
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error(f"{what} must be a mapping of keys to values")
        seen = set()
        pairs = []
        for key_node, value_node in self.node.value:
            key = YamlNode(key_node, self.path)
            name = key.text("a key")
            if name in seen:
                raise key.error(f"duplicate key {name!r}")
            seen.add(name)
            pairs.append((name, key.line, YamlNode(value_node, self.path)))
        return pairs

    def mapping(self, what="this"):
        return {name: value for name, _line, value in self.items(what)}

    def entries(self, what="this"):
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.error(f"{what} must be a list")
        return [YamlNode(item, self.path) for item in self.node.value]

    def texts(self, what="value"):
        """A list of texts; a single text is accepted as a list of one."""
        if isinstance(self.node, yaml.ScalarNode):
            text = self.text(what)
            return [text] if text else []
        return [entry.text(what) for entry in self.entries(what)]


def read_yaml(path):
    """The top node of a one-document YAML file, with YAML syntax errors located."""
    text = read_text(path)
    try:
        node = yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = f"invalid YAML: {error.problem or error.context or 'syntax error'}"
        if error.problem and error.context and error.context_mark:
            # "while parsing a flow sequence" that began on an earlier line, where the typo is.
            message += f" ({error.context} started on line {error.context_mark.line + 1})"
        raise VocabularyFileError(path, line, message) from None
    except yaml.YAMLError as error:
        raise VocabularyFileError(path, None, f"invalid YAML: {error}") from None
    if node is None:
        raise VocabularyFileError(path, 1, "the file is empty")
    return YamlNode(node, path)


# CSV


def read_csv(path, *, columns, legacy_encoding=None):
    """Yield (line number, {column: value}) for each data row of a CSV file with a header.

    Every column named in ``columns`` must be in the header and every row must have exactly as
    many fields as the header; blank lines are skipped. Line numbers are those of the file, so
    a row after a multi-line quoted field is still located correctly.
    """
    text = read_text(path, legacy_encoding=legacy_encoding)
    # newline="" keeps \r, \n and \r\n as line ends, so old Mac exports read like any other.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1  # where the record being read starts
    try:
        header = next(reader, None)
        if header is None:
            raise VocabularyFileError(path, 1, "the file is empty (no header row)")
        header = [name.strip() for name in header]
        missing = [name for name in columns if name not in header]
        if missing:
            raise VocabularyFileError(
                path, 1, f"missing column(s) {', '.join(missing)} in the header row"
            )
        line = reader.line_num + 1
        for row in reader:
            if row:
                if len(row) != len(header):
                    raise VocabularyFileError(
                        path, line, f"expected {len(header)} fields, found {len(row)}"
                    )
                yield line, dict(zip(header, row, strict=True))
            line = reader.line_num + 1
    except csv.Error as error:
        # A stray quote is noticed lines later; the row it opened is where to look.
        message = f"invalid CSV: {error}"
        if reader.line_num > line:
            message += f" (noticed on line {reader.line_num})"
        raise VocabularyFileError(path, line, message) from None
