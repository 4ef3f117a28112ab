"""Full-text index of recommendation text: FTS5 on SQLite, a GIN expression index on PostgreSQL.

The SQLite index is an external-content FTS5 table kept in step by triggers, so bulk imports
need no extra work. Queries must use the same expressions (see recommendations/search.py).
"""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE recommendations_fts USING fts5("
    "text, content='recommendations_recommendation', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER recommendations_fts_ai AFTER INSERT ON recommendations_recommendation BEGIN "
    "INSERT INTO recommendations_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER recommendations_fts_ad AFTER DELETE ON recommendations_recommendation BEGIN "
    "INSERT INTO recommendations_fts(recommendations_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER recommendations_fts_au AFTER UPDATE OF text ON recommendations_recommendation "
    "BEGIN INSERT INTO recommendations_fts(recommendations_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO recommendations_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO recommendations_fts(recommendations_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS recommendations_fts_au",
    "DROP TRIGGER IF EXISTS recommendations_fts_ad",
    "DROP TRIGGER IF EXISTS recommendations_fts_ai",
    "DROP TABLE IF EXISTS recommendations_fts",
]
POSTGRES_CREATE = [
    "CREATE INDEX recommendations_text_fts ON recommendations_recommendation "
    "USING GIN (to_tsvector('english'::regconfig, text))",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS recommendations_text_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
