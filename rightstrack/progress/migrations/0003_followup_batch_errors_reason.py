"""Follow-up grade batches stored their row errors as {"line", "message"}; every import batch
now stores {"line", "reason"}, which the batch page and the API show."""

from django.db import migrations

FOLLOWUP_FORMAT = "treaty-body-followup"


def rename_message_to_reason(apps, schema_editor):
    ImportBatch = apps.get_model("recommendations", "ImportBatch")
    for batch in ImportBatch.objects.filter(format=FOLLOWUP_FORMAT):
        errors = [
            {"line": error.get("line"), "reason": error.get("reason", error.get("message", ""))}
            for error in batch.errors
        ]
        if errors != batch.errors:
            batch.errors = errors
            batch.save(update_fields=["errors"])


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0002_mechanism_assessment"),
        ("recommendations", "0005_postgres_stored_search_vector"),
    ]

    operations = [migrations.RunPython(rename_message_to_reason, migrations.RunPython.noop)]
