"""E-mail backends that fail or crawl like a real mail server may."""

import os
import smtplib
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.core.mail.backends.locmem import EmailBackend


class CrashingEmailBackend(EmailBackend):
    """Sends ``allowed`` messages, then fails on every later one as a mail
    server going away does."""

    allowed = 2
    sent = 0

    def send_messages(self, messages):
        for message in messages:
            if CrashingEmailBackend.sent >= CrashingEmailBackend.allowed:
                raise smtplib.SMTPServerDisconnected("the mail server went away")
            CrashingEmailBackend.sent += 1
            super().send_messages([message])
        return len(messages)


class SlowFileEmailBackend(FileEmailBackend):
    """Django's file backend (one file per connection, every message
    appended and flushed as it goes), taking ``EMAIL_DELAY_SECONDS`` before
    each message. It refuses the first ``EMAIL_REFUSALS`` messages of the
    run (counted in a file beside the messages, so across restarts) as a
    mail server that went away."""

    def write_message(self, message):
        time.sleep(float(os.environ.get("EMAIL_DELAY_SECONDS", "0")))
        refusals = Path(settings.EMAIL_FILE_PATH).parent / "refusals"
        if refusals.exists() and int(refusals.read_text()) > 0:
            refusals.write_text(str(int(refusals.read_text()) - 1))
            raise smtplib.SMTPServerDisconnected("the mail server went away")
        super().write_message(message)
