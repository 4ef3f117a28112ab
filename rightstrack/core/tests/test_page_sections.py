from django.test import RequestFactory
from django.utils.safestring import mark_safe

from rightstrack.core.page_sections import PageSections


def test_it_renders_the_added_sections_once_each_in_the_order_added():
    page = PageSections()

    def first(request, obj):
        return mark_safe(f"<p>first {obj}</p>")  # noqa: S308 - test constant

    def second(request, obj):
        return mark_safe(f"<p>second {request.path}</p>")  # noqa: S308 - test constant

    page.add(first)
    page.add(second)
    page.add(first)

    assert page.render(RequestFactory().get("/x/"), 7) == ["<p>first 7</p>", "<p>second /x/</p>"]


def test_it_renders_nothing_when_no_app_added_a_section():
    assert PageSections().render(RequestFactory().get("/"), None) == []
