from django.db import migrations

LEVELS = [
    ("PS", "Petite section", 1),
    ("MS", "Moyenne section", 1),
    ("GS", "Grande section", 1),
    ("CP", "Cours préparatoire", 2),
    ("CE1", "Cours élémentaire 1", 2),
    ("CE2", "Cours élémentaire 2", 2),
    ("CM1", "Cours moyen 1", 3),
    ("CM2", "Cours moyen 2", 3),
]


def create_levels(apps, schema_editor):
    Level = apps.get_model("schools", "Level")
    for position, (code, name, cycle) in enumerate(LEVELS, start=1):
        Level.objects.update_or_create(
            code=code, defaults={"name": name, "cycle": cycle, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(create_levels, migrations.RunPython.noop)]
