"""Sections that apps higher in the layers add to a lower app's page.

A lower app never imports a higher one, so its page cannot name what a higher app shows about
the same object (e.g. the activities of a presence). It declares a ``PageSections`` instead; the
higher app adds its section from its ``AppConfig.ready()``, and the page's view renders them all
into its context, in the order the apps are installed::

    # presences/extensions.py
    presence_page = PageSections()
    # activities/apps.py, in ready()
    presence_page.add(portfolio_section)
    # presences/views.py
    context["sections"] = presence_page.render(request, presence)
    # the template
    {% for section in sections %}{{ section }}{% endfor %}
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

# (request, the page's object) -> the section's HTML, rendered from a template (so safe).
Section = Callable[[HttpRequest, Any], SafeString]


class PageSections:
    def __init__(self) -> None:
        self.sections: list[Section] = []

    def add(self, section: Section) -> None:
        if section not in self.sections:
            self.sections.append(section)

    def render(self, request: HttpRequest, obj: Any) -> list[SafeString]:
        return [section(request, obj) for section in self.sections]
