"""Wagtail's search index and reference index, updated by the worker.

Each save of a page makes Wagtail update both indexes (a publication through
the admin saves the page three times, in three transactions). Its signal
handlers enqueue its own tasks on the ``default`` backend, which runs them at
once, inside the request. The handlers are given ``AfterCommit`` instead:
the update is enqueued on the ``notifications`` queue once the change is
committed, once per object however many times the transaction saved it, and
the worker reads the object as it is then. Where the queue runs its tasks at
once (the tests' immediate backend), they run at once, as before.
"""

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string

from django_tasks import task

# Wagtail's index tasks, by the name the queued task gives them.
INDEX_TASKS = {
    "search": "modelsearch.tasks.insert_or_update_object_task",
    "references": "wagtail.tasks.update_reference_index_task",
}


@task(backend="notifications")
def update_index(index, app_label, model_name, pk):
    """Run Wagtail's task updating ``index`` for one object, unless it was
    deleted in the meantime (its deletion cleared both indexes)."""
    model = apps.get_model(app_label, model_name)
    if model._default_manager.filter(pk=pk).exists():
        import_string(INDEX_TASKS[index]).call(app_label, model_name, pk)


class AfterCommit:
    """Stands for one of Wagtail's index tasks where its signal handlers
    enqueue it: the update waits for the commit, once per object."""

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
    """Give Wagtail's signal handlers the deferred tasks (they read these
    module names when a save happens)."""
    import wagtail.signal_handlers

    import modelsearch.signal_handlers

    modelsearch.signal_handlers.insert_or_update_object_task = AfterCommit("search")
    wagtail.signal_handlers.update_reference_index_task = AfterCommit("references")
