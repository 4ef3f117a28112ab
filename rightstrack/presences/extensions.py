"""What the apps built on presences add to them, through hooks declared here (a lower app never
imports a higher one): activities adds the portfolio section of a presence's page, from its
``AppConfig.ready()``. Without it the page shows the presence alone."""

from rightstrack.core.page_sections import PageSections

# Sections of a presence's page, after the presence itself.
presence_page = PageSections()
