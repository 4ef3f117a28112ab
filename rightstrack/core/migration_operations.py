"""Migration operations the apps share."""

from django.db import migrations


def postgresql_only(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """Run ``forward`` SQL statements on PostgreSQL (``backward`` to reverse), nothing on other
    databases: what SQLite cannot express (a stored tsvector column, an index sorted with
    NULLS FIRST) and does not need."""

    def run(statements: list[str]):
        def on_postgresql(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            with schema_editor.connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

        return on_postgresql

    return migrations.RunPython(run(forward), run(backward))
