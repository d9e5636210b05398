"""Admin views that only ever reach the objects a user manages.

A ``ScopedModelViewSet`` names a ``scope(user)`` function returning the
manageable queryset; its listing, edit, delete, history and usage views all go
through it, so another school's objects are a 404 whatever the URL.
"""

from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet


class ScopedListingMixin:
    scope = None

    def get_base_queryset(self):
        return self.scope(self.request.user)


class ScopedObjectMixin:
    """For views whose listing is something else (history, usage): only the
    object they are about is scoped."""

    scope = None

    def get_base_object_queryset(self):
        return self.scope(self.request.user)


class ScopedFormMixin(ScopedObjectMixin):
    def get_queryset(self):
        return self.scope(self.request.user)


class ScopedIndexView(ScopedListingMixin, generic.IndexView):
    pass


class ScopedEditView(ScopedFormMixin, generic.EditView):
    pass


class ScopedDeleteView(ScopedFormMixin, generic.DeleteView):
    pass


class ScopedHistoryView(ScopedObjectMixin, generic.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, generic.UsageView):
    pass


class ScopedModelViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_enabled = False
    copy_view_enabled = False

    def scope(self, user):
        raise NotImplementedError

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(scope=self.scope, **kwargs)
