"""Taggers that suggest tags for recommendations: schemes, features, models, training data."""
