from .fixtures import (  # noqa: F401
    agency,
    hidden_measure,
    indicator,
    measure,
    other_agency,
    other_measure,
    plan,
    unpublished_plan,
)
