"""Puts back the SQLite full-text triggers on databases where an earlier version of 0003 lost them.

That version rebuilt the recommendation table on SQLite (to drop an index), which drops the
table's triggers, so the full-text index stopped following changes. This recreates any missing
trigger and rebuilds the index; on a database that has them all it does nothing.
"""

from django.db import migrations

TRIGGERS = {
    "recommendations_fts_ai": (
        "CREATE TRIGGER recommendations_fts_ai AFTER INSERT ON recommendations_recommendation "
        "BEGIN INSERT INTO recommendations_fts(rowid, text) VALUES (new.id, new.text); END"
    ),
    "recommendations_fts_ad": (
        "CREATE TRIGGER recommendations_fts_ad AFTER DELETE ON recommendations_recommendation "
        "BEGIN INSERT INTO recommendations_fts(recommendations_fts, rowid, text) "
        "VALUES ('delete', old.id, old.text); END"
    ),
    "recommendations_fts_au": (
        "CREATE TRIGGER recommendations_fts_au AFTER UPDATE OF text ON "
        "recommendations_recommendation BEGIN INSERT INTO recommendations_fts(recommendations_fts, "
        "rowid, text) VALUES ('delete', old.id, old.text); "
        "INSERT INTO recommendations_fts(rowid, text) VALUES (new.id, new.text); END"
    ),
}


def repair(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(TRIGGERS[name])
        if missing:
            cursor.execute("INSERT INTO recommendations_fts(recommendations_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_redundant_indexes")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
