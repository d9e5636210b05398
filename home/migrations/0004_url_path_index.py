from django.db import migrations

# Pages are routed by their full url_path in one query (home/routing.py):
# without an index, that query reads every page of the site.
URL_PATH_INDEX = """
CREATE INDEX IF NOT EXISTS ent_page_url_path ON wagtailcore_page (url_path);
"""


def add_index(apps, schema_editor):
    schema_editor.execute(URL_PATH_INDEX)


def remove_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS ent_page_url_path")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_page_target"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_index, remove_index)]
