"""rightstrack: track how UN human rights recommendations become national action."""

__version__ = "0.1.0"
