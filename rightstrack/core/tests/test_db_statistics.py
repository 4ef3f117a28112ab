"""Planner statistics: gathered on demand and after migrations."""

import time
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection, connections

from rightstrack.core import apps as core_apps
from rightstrack.core.db_statistics import (
    LOCK_WAIT_MILLISECONDS,
    STALE_AFTER_ROWS,
    planned_row_count,
    refresh_planner_statistics,
    refresh_stale_statistics,
    stale_tables,
    table_names,
)

pytestmark = pytest.mark.django_db

GROUPS = Group._meta.db_table


def test_it_gathers_the_row_counts_of_the_tables_named():
    Group.objects.bulk_create(Group(name=f"group {number}") for number in range(7))

    refresh_planner_statistics([GROUPS])

    assert planned_row_count(GROUPS) == 7


def test_it_gathers_them_for_every_table_when_none_is_named():
    Group.objects.bulk_create(Group(name=f"group {number}") for number in range(3))

    refresh_planner_statistics()

    assert planned_row_count(GROUPS) == 3


def test_it_names_the_tables_of_a_model_with_its_many_to_many_ones():
    assert table_names(Group) == ["auth_group", "auth_group_permissions"]


def test_it_refreshes_once_a_migrate_run_applied_migrations():
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    with mock.patch.object(core_apps, "refresh_planner_statistics") as refresh:
        for config in with_models:
            core_apps._analyze_after_migrations(config, using="default", plan=[("m", False)])

    refresh.assert_called_once_with(using="default")


def test_it_leaves_them_when_a_migrate_run_or_a_flush_applied_nothing():
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    with mock.patch.object(core_apps, "refresh_planner_statistics") as refresh:
        core_apps._analyze_after_migrations(last, using="default", plan=[])
        core_apps._analyze_after_migrations(last, using="default")

    refresh.assert_not_called()


def _groups(count, start=0):
    Group.objects.bulk_create(Group(name=f"group {number}") for number in range(start, count))


def _small_writes(count, start=0):
    """``count`` groups saved one by one, each in its own transaction, as people save them."""
    for number in range(start, start + count):
        Group.objects.create(name=f"group {number}")
    writes_reported()


def writes_reported(using="default"):
    """PostgreSQL's statistics system counts committed writes once the writing process reports
    them (within a second or so when idle); this one reports at once after this statement."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_force_next_flush()")


# The writes must commit for PostgreSQL's statistics system to count them.
committed = pytest.mark.django_db(transaction=True)


@committed
def test_it_finds_a_table_whose_statistics_many_small_writes_made_stale():
    _small_writes(20)
    refresh_planner_statistics([GROUPS])
    assert stale_tables([GROUPS]) == []

    _small_writes(STALE_AFTER_ROWS + 10, start=20)

    assert stale_tables([GROUPS]) == [GROUPS]


@committed
def test_it_leaves_a_table_that_changed_less_than_autovacuum_would_wait_for():
    _small_writes(20)
    refresh_planner_statistics([GROUPS])

    _small_writes(5, start=20)

    assert stale_tables([GROUPS]) == []


@committed
def test_it_analyses_the_stale_tables_of_the_project_and_names_them():
    _small_writes(200)

    analysed, skipped = refresh_stale_statistics()

    assert GROUPS in analysed
    assert skipped == []
    assert planned_row_count(GROUPS) == 200
    writes_reported()
    assert GROUPS not in refresh_stale_statistics()[0]


@committed
def test_it_skips_a_table_another_connection_keeps_locked_instead_of_waiting():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's write lock: jobs/tests/test_statistics.py, on a database file")
    import psycopg

    _small_writes(137)
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        (lock_timeout,) = cursor.fetchone()
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
    ) as other:
        # What an ANALYZE or VACUUM elsewhere, or CREATE INDEX CONCURRENTLY, holds.
        other.execute(f"LOCK TABLE {GROUPS} IN SHARE UPDATE EXCLUSIVE MODE")
        started = time.monotonic()
        analysed, skipped = refresh_stale_statistics()
        waited = time.monotonic() - started
        other.rollback()

    assert GROUPS in skipped
    assert GROUPS not in analysed
    assert planned_row_count(GROUPS) != 137
    assert waited < 2 + LOCK_WAIT_MILLISECONDS / 1000, f"waited {waited:.1f} s"
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == lock_timeout  # as it was
    # Once the lock is let go, the next refresh analyses it.
    assert GROUPS in refresh_stale_statistics()[0]
    assert planned_row_count(GROUPS) == 137
