"""Planner statistics: gathered on demand and after migrations."""

from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from rightstrack.core import apps as core_apps
from rightstrack.core.db_statistics import (
    planned_row_count,
    refresh_planner_statistics,
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
