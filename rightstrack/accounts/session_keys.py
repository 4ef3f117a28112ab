"""The keys the accounts app keeps in a signed-in session."""

# When the session signed in, and when it was last seen (session timeouts, middleware.py).
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# When the user last confirmed their password (reauthentication.py).
REAUTHENTICATED_AT = "reauthenticated_at"
