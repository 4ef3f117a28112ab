from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from rightstrack.core.commands import validation_error_text


def test_it_names_each_field_before_its_messages():
    error = ValidationError(
        {"state": ["Unknown state.", "Give a code."], NON_FIELD_ERRORS: ["Nothing was written."]}
    )
    assert validation_error_text(error) == (
        "state: Unknown state. Give a code. Nothing was written."
    )


def test_it_joins_messages_without_fields():
    error = ValidationError(["The file is empty.", "Nothing was written."])
    assert validation_error_text(error) == "The file is empty. Nothing was written."
