# The visibility rows move from ``home`` to ``visibility`` in the migration
# state only: their tables keep their names and their data.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("home", "0005_database_identity"),
        ("wagtailcore", "0098_apitoken"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="PageAudience",
            fields=[
                ("page", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="audience_info", serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ("audience", models.CharField(choices=[("public", "Public: everyone"), ("community", "Community: families and staff"), ("staff", "Staff: teachers and directors"), ("directors", "Directors only")], max_length=16)),
                ("school_key", models.UUIDField(blank=True, null=True)),
                ("classroom_key", models.UUIDField(blank=True, null=True)),
            ],
            options={
                "db_table": "home_pageaudience",
                "indexes": [models.Index(fields=["audience", "school_key", "classroom_key"], name="page_audience_scope"), models.Index(fields=["classroom_key"], name="page_audience_class")],
            },
        ),
        migrations.CreateModel(
            name="PageTarget",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("school_key", models.UUIDField()),
                ("page", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="targets", to=settings.WAGTAIL_PAGE_MODEL)),
            ],
            options={
                "db_table": "home_pagetarget",
                "constraints": [models.UniqueConstraint(fields=("page", "school_key"), name="one_target")],
            },
        ),
        migrations.CreateModel(
            name="DatabaseIdentity",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
            options={
                "db_table": "home_databaseidentity",
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
