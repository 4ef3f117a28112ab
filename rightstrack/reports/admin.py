"""Reports keep no models of their own, so there is nothing to administer here."""
