from django.db import migrations

# Wagtail's PostgreSQL search matches ``title || body`` of its index entries:
# without an index on that expression every query reads every entry.
SEARCH_INDEX = """
CREATE INDEX IF NOT EXISTS ent_indexentry_title_body
    ON wagtailsearch_indexentry USING gin ((title || body));
"""
# Menus look for the children of the home page (depth and path prefix):
# without this index they walk every page below it.
TREE_INDEX = """
CREATE INDEX IF NOT EXISTS ent_page_depth_path ON wagtailcore_page (depth, path);
"""


def add_indexes(apps, schema_editor):
    schema_editor.execute(TREE_INDEX)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_INDEX)


def remove_indexes(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS ent_page_depth_path")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ent_indexentry_title_body")


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0003_subjects_and_french_search"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
