"""« Journal des données personnelles »: the district team reads the audit
log's own entries (``audit.actions``) in the admin, newest first, filtered by
action and period, and exports them as a spreadsheet.

Wagtail's « Historique du site » report lists them too, among every other
change; this view keeps to personal data, and shows the reason of each.

Only its readers (``audit.readers``: the district team) open it; anyone else
gets a 404, whatever the admin's allowlist says."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

import django_filters

from audit.actions import ACTIONS
from audit.log import ent_entries
from audit.readers import may_read


class JournalFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"),
        choices=[(action, label) for action, label in ACTIONS.items()],
        empty_label=_("All actions"),
    )
    timestamp = django_filters.DateFromToRangeFilter(
        label=_("Period"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ModelLogEntry
        fields = []


def local_time(value):
    """An entry's date in the export, as the reader's clock says it."""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def who(entry, users):
    """The person an entry names: their name, « le système » when no one
    acted, « un compte supprimé » when that account is gone."""
    if not entry.user_id:
        return str(_("the system"))
    user = users.get(entry.user_id)
    if user is None:
        return str(_("a deleted account"))
    return user.get_full_name().strip() or user.get_username()


class JournalView(LogEntriesView):
    page_title = _("Personal data log")
    header_icon = "history"
    results_template_name = "audit/journal_results.html"
    filterset_class = JournalFilterSet
    index_url_name = "audit_journal"
    index_results_url_name = "audit_journal_results"
    paginate_by = 50
    export_headings = {
        "timestamp": _("Date/Time"),
        "who": _("By"),
        "action_label": _("Action"),
        "label": _("Concerning"),
        "reason": _("Reason"),
    }
    list_export = ["timestamp", "who", "action_label", "label", "reason"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_field_preprocess["timestamp"] = {
            self.FORMAT_CSV: local_time,
            self.FORMAT_XLSX: local_time,
        }

    def dispatch(self, request, *args, **kwargs):
        if not may_read(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"journal-donnees-personnelles-{datetime.date.today():%Y-%m-%d}"

    def get_filtered_queryset(self):
        """Wagtail's report on both log tables, the ENT's actions only."""
        self.log_models = list(log_registry.get_log_entry_models())
        queryset = None
        for index, model in enumerate(self.log_models):
            rows = self.filter_queryset(
                ent_entries(model)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            ).order_by()
            queryset = rows if queryset is None else queryset.union(rows, all=True)
        return queryset.order_by("-timestamp")

    def decorate_paginated_queryset(self, queryset):
        entries = super().decorate_paginated_queryset(queryset)
        ids = {entry.user_id for entry in entries if entry.user_id}
        users = get_user_model().objects.in_bulk(ids)
        for entry in entries:
            entry.who = who(entry, users)
            entry.action_label = str(ACTIONS.get(entry.action, entry.action))
            entry.reason = (entry.data or {}).get("reason", "")
            entry.detail = detail(entry)
        return entries


def detail(entry):
    """What changed, when the entry says more than its label: an audience
    from one value to another, the photos taken off a page."""
    data = entry.data or {}
    if entry.action == "ent.audience.changed":
        return f"{data.get('from_label', '')} → {data.get('to_label', '')}"
    if entry.action == "ent.photo.removed":
        return ", ".join(data.get("images", []))
    return ""
