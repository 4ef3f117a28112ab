"""A missing or malformed file stops the load with its file and line, and writes nothing."""

import pytest

from rightstrack.taxonomy.models import Term
from rightstrack.taxonomy.services import VocabularyFileError, vocabularies_load

pytestmark = pytest.mark.django_db


def replace_line(number, new_text):
    def change(text):
        lines = text.splitlines(keepends=True)
        ending = lines[number - 1][len(lines[number - 1].rstrip("\r\n")) :]
        lines[number - 1] = new_text + ending
        return "".join(lines)

    return change


def load_error(data_dir, **options):
    with pytest.raises(VocabularyFileError) as caught:
        vocabularies_load(data_dir=data_dir, **options)
    assert not Term.objects.exists()
    return caught.value


# Real files, copied and corrupted


def test_it_names_the_line_of_a_yaml_syntax_error(real_data_copy):
    real_data_copy.edit("sdg/en_global_targets.yml", replace_line(7, "1-3-title: [unclosed"))
    error = load_error(real_data_copy.path)
    assert error.path == real_data_copy.path / "sdg/en_global_targets.yml"
    assert error.line in (7, 8)
    assert "invalid YAML" in error.message and "line 7" in str(error)


def test_it_refuses_a_target_whose_goal_is_missing(real_data_copy):
    def drop_goal_17(text):
        kept, dropping = [], False
        for line in text.splitlines(True):
            if not line.startswith(" "):  # a key; indented lines continue its value
                dropping = line.startswith("17-")
            if not dropping:
                kept.append(line)
        return "".join(kept)

    real_data_copy.edit("sdg/en_global_goals.yml", drop_goal_17)
    real_data_copy.edit("sdg/ru_global_goals.yml", drop_goal_17)
    error = load_error(real_data_copy.path)
    targets = (real_data_copy.path / "sdg/en_global_targets.yml").read_text().splitlines()
    first_17 = next(n for n, line in enumerate(targets, 1) if line.startswith("17-1-title"))
    assert error.path.name == "en_global_targets.yml"
    assert error.line == first_17
    assert error.message == "target 17.1: goal 17 is not in sdg/en_global_goals.yml"


def test_it_refuses_an_unexpected_key(real_data_copy):
    real_data_copy.edit("sdg/ru_global_goals.yml", replace_line(3, "10-subtitle: лишний ключ"))
    error = load_error(real_data_copy.path)
    assert (error.path.name, error.line) == ("ru_global_goals.yml", 3)
    assert "unexpected key '10-subtitle'" in error.message


def test_it_names_the_line_of_a_csv_row_with_wrong_columns(real_data_copy):
    real_data_copy.edit(
        "taxonomy/uhri_taxonomy_from_impactoss_seeds.csv",
        replace_line(12, "uhri_issue_level2,B2,Right to self-determination"),
    )
    error = load_error(real_data_copy.path)
    assert (error.path.name, error.line) == ("uhri_taxonomy_from_impactoss_seeds.csv", 12)
    assert error.message == "expected 4 fields, found 3"


def test_it_names_the_line_of_a_bad_row_in_a_mac_upr_info_export(real_data_copy):
    # CR line endings, as exported: the line number still counts the export's own lines.
    real_data_copy.edit(
        "upr-info/upr-info-sessions-6-9.csv", replace_line(101, 'Albania,EEG,"unclosed')
    )
    error = load_error(real_data_copy.path)
    assert error.path.name == "upr-info-sessions-6-9.csv"
    assert error.line == 101
    assert "invalid CSV" in error.message


def test_it_refuses_an_unknown_uhri_taxonomy(real_data_copy):
    real_data_copy.edit(
        "taxonomy/uhri_taxonomy_from_impactoss_seeds.csv",
        replace_line(2, "uhri_issue_level9,A1,Scope of international obligations,Intl."),
    )
    error = load_error(real_data_copy.path)
    assert error.line == 2 and "unknown taxonomy 'uhri_issue_level9'" in error.message


def test_it_names_a_missing_file(real_data_copy):
    (real_data_copy.path / "sdg/ru_global_targets.yml").unlink()
    error = load_error(real_data_copy.path)
    assert error.path == real_data_copy.path / "sdg/ru_global_targets.yml"
    assert error.line is None and error.message == "file not found"
    assert str(error).endswith("ru_global_targets.yml: file not found")


# Small files written here


def test_it_names_a_missing_data_directory(tmp_path):
    error = load_error(tmp_path / "nowhere")
    assert error.message == "data directory not found"


def test_it_needs_at_least_one_upr_info_export(tiny_data_dir):
    for path in (tiny_data_dir / "upr-info").iterdir():
        path.unlink()
    error = load_error(tiny_data_dir)
    assert error.message == "no file matches"
    assert str(error.path).endswith("upr-info/upr-info-sessions-*.csv")


def test_it_refuses_a_csv_without_the_needed_columns(tiny_data_dir):
    path = tiny_data_dir / "taxonomy/uhri_taxonomy_from_impactoss_seeds.csv"
    path.write_text("taxonomy,title\nuhri_affected_persons,Children\n")
    error = load_error(tiny_data_dir)
    assert error.line == 1 and error.message == (
        "missing column(s) reference, short_title in the header row"
    )


def test_it_refuses_text_that_is_not_utf8(tiny_data_dir):
    path = tiny_data_dir / "sdg/ru_global_goals.yml"
    path.write_bytes("1-short: ok\n1-title: Первая\n".encode("cp1251"))
    error = load_error(tiny_data_dir)
    assert (error.line, error.message) == (2, "is not valid UTF-8 text")


def test_it_refuses_a_duplicate_theme_row(tiny_data_dir):
    path = tiny_data_dir / "taxonomy/uhri_taxonomy_from_impactoss_seeds.csv"
    path.write_text(path.read_text() + "uhri_issue_level2,A2,Cooperation,Cooperation\n")
    error = load_error(tiny_data_dir)
    assert (error.line, error.message) == (7, "'Cooperation' repeats line 4")


# Built-in files


def test_it_refuses_a_builtin_term_without_an_english_label(tiny_data_dir, builtin_copy):
    path = builtin_copy / "shifts.yml"
    path.write_text(path.read_text().replace("    label_en: Corruption\n", ""))
    lines = path.read_text().splitlines()
    line = lines.index("  - code: corruption") + 1
    error = load_error(tiny_data_dir, builtin_dir=builtin_copy)
    assert (error.path, error.line) == (path, line)
    assert error.message == "term 'corruption' needs a label_en"


def test_it_refuses_a_duplicate_builtin_code(tiny_data_dir, builtin_copy):
    path = builtin_copy / "spotlight-populations.yml"
    path.write_text(path.read_text().replace("code: youth", "code: women"))
    error = load_error(tiny_data_dir, builtin_dir=builtin_copy)
    assert error.path == path
    assert error.message.startswith("duplicate code 'women' in spotlight-population")


def test_it_writes_nothing_when_a_parent_is_unknown(tiny_data_dir, builtin_copy):
    # Found only while saving, after earlier terms were written: the transaction undoes them.
    path = builtin_copy / "states.yml"
    text = path.read_text().replace(
        "short_label_en: United States\n    parent: weog",
        "short_label_en: United States\n    parent: wego",
    )
    path.write_text(text)
    error = load_error(tiny_data_dir, builtin_dir=builtin_copy)
    assert error.path == path
    assert error.message == "USA: unknown parent 'wego' in regional-group"


def test_it_refuses_an_unknown_key_in_an_overlay(tiny_data_dir, builtin_copy):
    path = builtin_copy / "translations-ru.yml"
    path.write_text(path.read_text().replace("  justice: Правосудие", "  justice:\n    label: x"))
    error = load_error(tiny_data_dir, builtin_dir=builtin_copy)
    assert error.path == path and error.message.startswith("unknown key 'label'")
