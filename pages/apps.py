from django.apps import AppConfig


class PagesConfig(AppConfig):
    """What every page type shares: the base edit form, the StreamField
    blocks, the permission testers, moves and copies kept in their scope,
    links checked for their readers, pagination and feeds."""

    name = "pages"

    def ready(self):
        from pages.indexing import update_indexes_in_the_worker

        update_indexes_in_the_worker()
