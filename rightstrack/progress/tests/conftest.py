# The plans fixtures: reports are written on their plans and measures.
from rightstrack.plans.tests.conftest import *  # noqa: F403
