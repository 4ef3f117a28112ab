"""PostgreSQL: keep the text's tsvector in a stored generated column with its own GIN index.

Ranking and phrase checks then read the stored vector instead of recomputing ``to_tsvector``
for every matching row (about ten times faster at 250,000 recommendations). SQLite keeps its
FTS5 table; the column is not part of the Django model, so the ORM never writes it.
"""

from django.db import migrations

from rightstrack.core.migration_operations import postgresql_only

POSTGRES_FORWARD = [
    "ALTER TABLE recommendations_recommendation ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED",
    "CREATE INDEX recommendations_search_vector ON recommendations_recommendation "
    "USING GIN (search_vector)",
    "DROP INDEX IF EXISTS recommendations_text_fts",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS recommendations_text_fts ON recommendations_recommendation "
    "USING GIN (to_tsvector('english'::regconfig, text))",
    "DROP INDEX IF EXISTS recommendations_search_vector",
    "ALTER TABLE recommendations_recommendation DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0004_repair_full_text_triggers")]

    operations = [postgresql_only(POSTGRES_FORWARD, POSTGRES_BACKWARD)]
