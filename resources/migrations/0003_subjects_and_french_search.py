from django.db import migrations
from django.utils.text import slugify

# The domains of cycle 1 and the subjects of cycles 2 and 3 (programmes of
# the école maternelle and élémentaire), in the order of the curriculum.
SUBJECTS = [
    ("Mobiliser le langage dans toutes ses dimensions", "1"),
    ("Agir, s'exprimer, comprendre à travers l'activité physique", "1"),
    ("Agir, s'exprimer, comprendre à travers les activités artistiques", "1"),
    ("Acquérir les premiers outils mathématiques", "1"),
    ("Explorer le monde", "1"),
    ("Français", "2,3"),
    ("Mathématiques", "2,3"),
    ("Langues vivantes", "2,3"),
    ("Questionner le monde", "2"),
    ("Sciences et technologie", "3"),
    ("Histoire et géographie", "3"),
    ("Arts plastiques", "2,3"),
    ("Éducation musicale", "2,3"),
    ("Histoire des arts", "3"),
    ("Éducation physique et sportive", "2,3"),
    ("Enseignement moral et civique", "2,3"),
]

# French stemming on accent-free words: "geometrie" finds "géométriques".
FRENCH_UNACCENT = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent')
    THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END $$;
"""


def add_subjects(apps, schema_editor):
    Subject = apps.get_model("resources", "Subject")
    for position, (name, cycles) in enumerate(SUBJECTS):
        Subject.objects.get_or_create(
            slug=slugify(name)[:120],
            defaults={"name": name, "cycles": cycles, "position": position},
        )


def french_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FRENCH_UNACCENT)


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_resources")]

    operations = [
        migrations.RunPython(add_subjects, migrations.RunPython.noop),
        migrations.RunPython(french_search, migrations.RunPython.noop),
    ]
