"""Input a presence's service refuses, and the message it gives on which field: the service's
tests and the API's (which answers 422 with the same message) read the same cases."""

# (changes to valid data, the field refused, a part of the message)
INVALID_PRESENCE_INPUT = [
    (
        {"deployment_start_year": 2021, "deployment_end_year": 2018},
        "deployment_end_year",
        "The end year cannot be before the start year.",
    ),
    ({"budget_amount": -1}, "budget_amount", "The budget cannot be negative."),
    ({"staff_count": -1}, "staff_count", "The number of staff cannot be negative."),
    ({"contact_email": "nobody"}, "contact_email", "Enter a valid email address."),
    ({"thematic_pillars": ["civic-space"]}, "thematic_pillars", "is not in the vocabulary"),
]
