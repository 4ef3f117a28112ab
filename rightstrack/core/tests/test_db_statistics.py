"""Planner statistics: gathered on demand and after migrations."""

from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from rightstrack.core import apps as core_apps
from rightstrack.core.db_statistics import (
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


def test_it_finds_a_table_whose_statistics_many_writes_made_stale():
    _groups(20)
    refresh_planner_statistics([GROUPS])
    assert stale_tables([GROUPS]) == []

    _groups(20 + STALE_AFTER_ROWS + 10, start=20)

    assert stale_tables([GROUPS]) == [GROUPS]


def test_it_leaves_a_table_that_changed_less_than_autovacuum_would_wait_for():
    _groups(20)
    refresh_planner_statistics([GROUPS])

    _groups(25, start=20)

    assert stale_tables([GROUPS]) == []


def test_it_analyses_the_stale_tables_of_the_project_and_names_them():
    _groups(200)

    analysed = refresh_stale_statistics()

    assert GROUPS in analysed
    assert planned_row_count(GROUPS) == 200
    assert GROUPS not in refresh_stale_statistics()
