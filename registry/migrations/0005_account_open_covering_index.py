"""The (organisation, platform) index on accounts also carries opened_on and
closed_on, so "which of these organisations have an account open on platform P
on date D" is an index-only scan. Measured on the national-scale benchmark
(docs/PERFORMANCE.md): adopters per platform for a Top 500 list reads ~10,800
heap buffers without it and none with it. On SQLite the index is created
without the included columns."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0004_search_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="account",
            name="account_org_platform_idx",
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(
                fields=["organisation", "platform"], include=("opened_on", "closed_on"), name="account_org_platform_idx"
            ),
        ),
    ]
