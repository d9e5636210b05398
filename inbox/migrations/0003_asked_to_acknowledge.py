from django.db import migrations, models
from django.db.models import F, Q


def leave_out_authors_and_directors(apps, schema_editor):
    """Recipients recorded before: the author of a news item and the
    directors of its school are no longer asked to confirm it."""
    Recipient = apps.get_model("inbox", "Recipient")
    Recipient.objects.filter(
        Q(user_id=F("page__owner_id"))
        | Q(role="director", page__audience_info__school_key__isnull=False)
    ).update(asked_to_acknowledge=False)


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0002_delivery_attempts"),
        ("visibility", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="recipient",
            name="asked_to_acknowledge",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(
            leave_out_authors_and_directors, migrations.RunPython.noop, elidable=True
        ),
    ]
