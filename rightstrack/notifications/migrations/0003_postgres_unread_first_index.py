"""PostgreSQL: a user's notifications in the order the page lists them (unread first, then the
most recently read, newest first) read from an index instead of sorting all of them: 174 ms ->
under 1 ms for a user with 250,000. SQLite cannot sort an index with NULLS FIRST and sorts a
user's notifications itself (49 ms for 250,000)."""

from django.db import migrations

from rightstrack.core.migration_operations import postgresql_only

INDEX = "notifications_user_unread_first"


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_file_ready")]

    operations = [
        postgresql_only(
            [
                f"CREATE INDEX {INDEX} ON notifications_notification "
                "(user_id, read_at DESC NULLS FIRST, created_at DESC, id DESC)"
            ],
            [f"DROP INDEX IF EXISTS {INDEX}"],
        )
    ]
