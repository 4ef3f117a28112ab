"""What every report builder shares: the cover's scope line, dates, amounts, plain text from
stored HTML (rightstrack.core.sanitize.html_to_lines), evidence links and the "example" label."""

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rightstrack.core.roles import can_read_internal
from rightstrack.plans.access import focal_agency_id
from rightstrack.presences.templatetags.presences import money

from ..model import Document, Link


def scope_label(user):
    """What data the document holds, for its cover."""
    if user is None or not user.is_authenticated:
        return _("Data scope: published data only")
    if can_read_internal(user) or focal_agency_id(user):
        return _("Data scope: internal data as seen by %(user)s (%(role)s)") % {
            "user": user.get_username(),
            "role": user.get_role_display(),
        }
    return _("Data scope: published data only")


def new_document(*, title, subtitle, user, today, landscape=False):
    return Document(
        title=title,
        subtitle=subtitle,
        generated_on=today,
        generated_label=_("Generated on %(date)s") % {"date": date_text(today)},
        scope=scope_label(user),
        landscape=landscape,
        language=(get_language() or "en").split("-")[0],
        page_label=_("Page %(page)s of %(pages)s"),
    )


def date_text(value):
    return date_format(value, "DATE_FORMAT") if value else ""


def period_text(start, end):
    if start and end:
        return f"{date_text(start)} – {date_text(end)}"
    return date_text(start or end)


def amount_text(amount, currency):
    if amount is None:
        return ""
    return money(amount, currency or "")


def number_text(value):
    if value is None:
        return ""
    return number_format(value, use_l10n=True, force_grouping=True)


def not_reported(value):
    """The value, or "not reported" when it is empty (never a made-up zero)."""
    if value is None or value == "" or value == []:
        return _("not reported")
    return value


def example_suffix(is_example):
    return f" ({_('Example')})" if is_example else ""


def example_notice():
    return (
        _("Example data")
        + ": "
        + _(
            "the measures, reports and figures marked “Example” are made up to show how "
            "rightstrack works. They are not real measures of any government."
        )
    )


def evidence_link(evidence, *, base_url):
    """A link to a piece of evidence: its address, or the download of its file."""
    if evidence.url:
        return Link(evidence.title, evidence.url)
    url = f"{base_url}{reverse('progress:evidence-download', kwargs={'pk': evidence.pk})}"
    title = evidence.title
    if evidence.original_name and evidence.original_name != title:
        title = f"{title} ({evidence.original_name})"
    return Link(title, url)


def yes_no(value):
    return _("Yes") if value else _("No")
