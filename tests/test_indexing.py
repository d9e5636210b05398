"""Wagtail's search index, updated by the worker after the commit
(``pages.indexing``); the reference index, in the request."""

from django.test import TestCase, override_settings

from wagtail.search.models import IndexEntry

from django_tasks_db.models import DBTaskResult

from news.models import NewsIndexPage, NewsPage
from pages.indexing import update_index
from tests.factories import NewsPageFactory
from visibility.audience import Audience

QUEUED_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notifications": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


def index_updates():
    """The index updates waiting in the queue, as (index, page id) pairs."""
    return sorted(
        (task.args_kwargs["args"][0], int(task.args_kwargs["args"][3]))
        for task in DBTaskResult.objects.filter(task_path="pages.indexing.update_index")
    )


def indexed(page):
    return IndexEntry.objects.filter(object_id=str(page.pk)).exists()


class ImmediateBackendTests(TestCase):
    def test_a_saved_page_is_indexed_at_once(self):
        news = NewsPageFactory(
            parent=NewsIndexPage.objects.get(),
            title="Fermeture exceptionnelle",
            audience=Audience.PUBLIC,
        )
        self.assertTrue(indexed(news))


@override_settings(TASKS=QUEUED_TASKS)
class QueuedIndexTests(TestCase):
    def publish(self, title):
        """A news item created, revised and published in one transaction,
        as the admin does: three saves."""
        with self.captureOnCommitCallbacks(execute=True):
            news = NewsPageFactory(
                parent=NewsIndexPage.objects.get(),
                title=title,
                audience=Audience.PUBLIC,
            )
            news.title = f"{title} (modifié)"
            news.save_revision().publish()
        return news

    def test_the_search_index_is_updated_once_after_the_commit(self):
        news = self.publish("Fermeture exceptionnelle")
        self.assertEqual(index_updates(), [("search", news.pk)])
        self.assertFalse(indexed(news))

    def test_the_worker_indexes_the_page_as_it_is_then(self):
        news = self.publish("Fermeture exceptionnelle")
        NewsPage.objects.filter(pk=news.pk).update(title="Réouverture")
        for task in DBTaskResult.objects.filter(
            task_path="pages.indexing.update_index"
        ):
            update_index.call(*task.args_kwargs["args"])
        self.assertEqual(list(NewsPage.objects.search("Réouverture")), [news])

    def test_the_reference_index_is_updated_in_the_request(self):
        """It says who may see an image or a document (``mediafiles.access``):
        right as soon as the page is committed."""
        from wagtail.models import ReferenceIndex
        from wagtail.rich_text import RichText

        index = NewsIndexPage.objects.get()
        link = f'<p><a linktype="page" id="{index.pk}">Les actualités</a></p>'
        with self.captureOnCommitCallbacks(execute=True):
            news = NewsPageFactory(
                parent=index,
                title="Fermeture exceptionnelle",
                audience=Audience.PUBLIC,
                body=[("paragraph", RichText(link))],
            )
        users = ReferenceIndex.get_references_to(index).values_list(
            "object_id", flat=True
        )
        self.assertIn(str(news.pk), list(users))

    def test_a_page_deleted_before_the_worker_runs_is_left_alone(self):
        news = self.publish("Fermeture exceptionnelle")
        pk = news.pk
        news.delete()
        update_index.call("search", "news", "newspage", str(pk))
        self.assertFalse(IndexEntry.objects.filter(object_id=str(pk)).exists())

    def test_nothing_is_queued_for_a_transaction_rolled_back(self):
        from django.db import transaction

        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    NewsPageFactory(
                        parent=NewsIndexPage.objects.get(),
                        title="Brouillon abandonné",
                        audience=Audience.PUBLIC,
                    )
                    raise RuntimeError
            except RuntimeError:
                pass
            news = NewsPageFactory(
                parent=NewsIndexPage.objects.get(),
                title="Fermeture exceptionnelle",
                audience=Audience.PUBLIC,
            )
        self.assertEqual(index_updates(), [("search", news.pk)])
