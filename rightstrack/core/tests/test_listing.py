"""Pagination (core.listing): every page the same whichever end it is read from."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rightstrack.core.listing import IdsFirst, paginate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "order", [("codename", "id"), ("-content_type", "-codename", "-pk"), ("name", "pk")]
)
def test_it_gives_every_page_as_the_whole_list_has_it(order):
    rows = Permission.objects.order_by(*order)
    everything = list(rows)
    pages = paginate(rows, page=1, per_page=7).paginator.num_pages
    assert pages > 4

    read = []
    for number in range(1, pages + 1):
        page = paginate(rows, page=number, per_page=7)
        read.extend(page.object_list)
        assert page.number == number

    assert read == everything


def test_it_reads_a_late_page_from_the_end_only_when_the_order_is_total():
    total = Permission.objects.order_by("codename", "id")
    with CaptureQueriesContext(connection) as queries:
        paginate(total, page=10_000, per_page=5)  # past the end: the last page
    assert "DESC" in queries[-1]["sql"]  # read backwards

    partial = Permission.objects.order_by("content_type")  # ties: directions could disagree
    with CaptureQueriesContext(connection) as queries:
        page = paginate(partial, page=10_000, per_page=5)
    assert "DESC" not in queries[-1]["sql"]
    assert list(page.object_list) == list(partial)[page.start_index() - 1 : page.end_index()]


def test_it_reads_ids_first_then_their_rows_in_the_ids_order():
    ids = Permission.objects.order_by("-codename", "pk").values_list("pk", flat=True)
    fetched = []

    def rows(page_ids):
        fetched.append(list(page_ids))
        return Permission.objects.filter(pk__in=page_ids).order_by("?")

    page = paginate(IdsFirst(ids, rows), page=2, per_page=5)

    assert [row.pk for row in page.object_list] == list(ids[5:10])
    assert fetched == [list(ids[5:10])]
    assert page.paginator.count == Permission.objects.count()
