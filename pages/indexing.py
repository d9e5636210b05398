"""Wagtail's search index, updated by the worker.

Each save of a page makes Wagtail update its search index (a publication
through the admin saves the page three times, in three transactions; at
district size each update also reads the length of every title). Its signal
handler enqueues its own task on the ``default`` backend, which runs it at
once, inside the request. The handler is given ``AfterCommit`` instead: the
update is enqueued on the ``notifications`` queue once the change is
committed, once per object however many times the transaction saved it, and
the worker reads the object as it is then. Where the queue runs its tasks at
once (the tests' immediate backend), they run at once, as before.

The reference index stays in the request: it says which pages use an image
or a document, so who may see them (``mediafiles.access``), and must be
right when the change is committed.
"""

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string

from django_tasks import task

# Wagtail's index tasks, by the name the queued task gives them.
INDEX_TASKS = {"search": "modelsearch.tasks.insert_or_update_object_task"}


@task(backend="notifications")
def update_index(index, app_label, model_name, pk):
    """Run Wagtail's task updating ``index`` for one object, unless it was
    deleted in the meantime (its deletion cleared the index)."""
    model = apps.get_model(app_label, model_name)
    if model._default_manager.filter(pk=pk).exists():
        import_string(INDEX_TASKS[index]).call(app_label, model_name, pk)


class AfterCommit:
    """Stands for Wagtail's index task where its signal handler enqueues
    it: the update waits for the commit, once per object."""

    def __init__(self, index):
        self.index = index

    def enqueue(self, app_label, model_name, pk):
        args = (self.index, app_label, model_name, str(pk))
        if not update_index.get_backend().supports_defer:
            update_index.enqueue(*args)
            return
        pending = pending_in_transaction()
        if args not in pending:
            pending.add(args)
            transaction.on_commit(lambda: update_index.enqueue(*args))


def pending_in_transaction():
    """The updates already waiting for the current transaction's commit.
    Django starts a new list of commit callbacks whenever it runs or drops
    them (commit, rollback): the set is kept with the list it belongs to."""
    connection = transaction.get_connection()
    kept = connection.__dict__.get("_ent_index_updates")
    if kept is None or kept[0] is not connection.run_on_commit:
        kept = connection.__dict__["_ent_index_updates"] = (
            connection.run_on_commit,
            set(),
        )
    return kept[1]


def update_indexes_in_the_worker():
    """Give Wagtail's search signal handler the deferred task (it reads this
    module name when a save happens)."""
    import modelsearch.signal_handlers

    modelsearch.signal_handlers.insert_or_update_object_task = AfterCommit("search")
