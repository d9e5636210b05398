# The visibility rows now belong to ``visibility`` (its 0001 takes them over
# in the state): ``home`` forgets them without dropping their tables.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("home", "0005_database_identity"),
        ("visibility", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PageAudience"),
                migrations.DeleteModel(name="PageTarget"),
                migrations.DeleteModel(name="DatabaseIdentity"),
            ],
        ),
    ]
