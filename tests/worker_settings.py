"""Settings of the e-mail worker that tests/test_worker.py runs for real:
the test settings with the persistent queue of `make run`, e-mails written
to files (slowly, see tests.mail_backends), and short leases and delays."""

from os import environ as env

from ent_site.settings.test import *  # noqa: F403
from ent_site.settings.test import TASKS

TASKS = {**TASKS, "notifications": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "tests.mail_backends.SlowFileEmailBackend"
EMAIL_FILE_PATH = env["EMAIL_FILE_PATH"]
NOTIFICATION_LEASE_SECONDS = 3
NOTIFICATION_RETRY_SECONDS = (1, 2)
