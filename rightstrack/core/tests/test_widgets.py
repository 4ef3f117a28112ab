"""templates/django/forms/widgets/select.html: a select drawn as Django draws it."""

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe

CHOICES = [
    ("", "Any"),
    ("a&b", 'Agency "A" & <B>'),
    (3, mark_safe("<em>Kept</em> markup")),
    ("Group", [("g1", "First"), ("g2", "Second")]),
]


def _both(widget, value):
    """(Django's own drawing, ours) of ``widget`` named "f" with ``value``."""
    django = widget.render("f", value, attrs={"id": "id_f"}, renderer=DjangoTemplates())
    ours = widget.render("f", value, attrs={"id": "id_f"}, renderer=get_default_renderer())
    return django, ours


def test_it_writes_a_select_exactly_as_django_does():
    for value in ("", "a&b", 3, "g2", "missing"):
        django, ours = _both(forms.Select(choices=CHOICES, attrs={"disabled": True}), value)
        assert ours == django
    django, ours = _both(forms.SelectMultiple(choices=CHOICES), ["a&b", "g1"])
    assert ours == django
    assert ours.count(" selected") == 2 and "&lt;B&gt;" in ours and "<em>Kept</em>" in ours


def test_it_still_draws_an_option_with_its_own_template():
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Marked(choices=[("x", "Ex"), ("y", "Why")])
    django, ours = _both(widget, "y")
    assert ours == django
    assert '<label><input type="select" name="f" value="y" selected>' in ours
