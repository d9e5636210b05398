"""Wagtail's own admin strings that our French catalogue corrects (issue 14).

Our catalogue (``LOCALE_PATHS``) takes precedence over Wagtail's, but
``makemessages`` keeps only the msgids found in our source: each string
Wagtail's French gets wrong where school staff see it is declared here, with
Wagtail's exact msgid (and plural), and translated in
``locale/fr/LC_MESSAGES/django.po``. Nothing imports this module.

The strings of Wagtail's scripts are corrected in
``locale/fr/LC_MESSAGES/djangojs.po``, kept by hand (``makemessages`` does
not read Wagtail's scripts).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

CORRECTED = [
    # English left in Wagtail's French: « Status », « Any ».
    gettext_noop("Locking status"),
    gettext_noop("Edit this item"),
    gettext_noop("Current page status:"),
    gettext_noop("Status: "),
    gettext_noop("Any"),
    # « Il y a 0 minute » (Wagtail compares with « 0 minutes »), « 1-1 sur 1 None »
    # (no model name on page searches), « Ajouter un(e) … ».
    # xgettext:no-python-format
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop("Add %(label)s"),
    gettext_noop("0 minutes"),
    # « Modification de Actualité » in the edit form's title.
    gettext_noop("Editing %(page_type)s"),
    gettext_noop("Add %(model_name)s"),
    # « Pages crées ».
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    # « workflow »: a « circuit de validation » in French. Where the French
    # leaves out a name Wagtail gives (« ce(tte) %(model_name)s »), msgfmt is
    # told not to expect it (xgettext:no-python-format).
    gettext_noop("Restart workflow "),
    gettext_noop("Cancel workflow "),
    gettext_noop(
        # xgettext:no-python-format
        "This %(model_name)s was marked as needing changes at "
        "<strong>%(task)s</strong> in <strong>%(workflow)s</strong>."
    ),
    gettext_noop(
        # xgettext:no-python-format
        "This %(model_name)s is currently at <strong>%(task)s</strong> in "
        "<strong>%(workflow)s</strong>."
    ),
    # xgettext:no-python-format
    gettext_noop("Publishing this %(model_name)s will cancel the current workflow."),
    gettext_noop("Your pages and snippets in a workflow"),
    gettext_noop('The page "%(title)s" has been approved in workflow "%(workflow)s".'),
    gettext_noop(
        'The page "%(title)s" has been rejected during "%(task)s" in workflow '
        '"%(workflow)s" by %(rejector)s.'
    ),
    gettext_noop(
        'The page "%(title)s" has been rejected during "%(task)s" in workflow '
        '"%(workflow)s".'
    ),
    gettext_noop(
        'The page "%(title)s" has been submitted for moderation to workflow '
        '"%(workflow)s" by %(requester)s.'
    ),
    gettext_noop(
        'The page "%(title)s" has been submitted for moderation to workflow '
        '"%(workflow)s".'
    ),
    gettext_noop('The page "%(title)s" has been submitted to workflow "%(workflow)s"'),
    gettext_noop(
        "This page was marked as needing changes at <strong>%(task)s</strong> "
        "in <strong>%(workflow)s</strong>."
    ),
    gettext_noop(
        "This page is currently at <strong>%(task)s</strong> in "
        "<strong>%(workflow)s</strong>."
    ),
    gettext_noop("Publishing this page will cancel the current workflow."),
    gettext_noop("Workflow"),
    gettext_noop("Workflow started"),
    gettext_noop("Workflow completed"),
    gettext_noop("Workflow history"),
    gettext_noop("Workflow progress"),
    gettext_noop("Workflow on page '%(page_title)s' has been cancelled."),
    gettext_noop("Workflow on page '%(page_title)s' has been restarted."),
    gettext_noop(
        # xgettext:no-python-brace-format
        "This {model_name} is awaiting <b>'{task_name}'</b> in the "
        "<b>'{workflow_name}'</b> workflow."
    ),
    gettext_noop("Locked by workflow"),
    gettext_noop("workflow"),
    gettext_noop("Workflow state"),
    gettext_noop("Workflow states"),
    gettext_noop("Workflow: start"),
    gettext_noop("Workflow: approve task"),
    gettext_noop("Workflow task approved"),
    gettext_noop("Workflow: reject task"),
    gettext_noop("Workflow task rejected. Workflow complete"),
    gettext_noop("Workflow: resume task"),
    gettext_noop("Resubmitted '%(task)s'. Workflow resumed"),
    gettext_noop("Workflow task resubmitted. Workflow resumed"),
    gettext_noop("Workflow: cancel"),
    gettext_noop("Workflow cancelled"),
]
