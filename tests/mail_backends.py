"""An e-mail backend that fails like a worker losing its mail server."""

from django.core.mail.backends.locmem import EmailBackend


class CrashingEmailBackend(EmailBackend):
    """Sends the first batch, then fails on every later one."""

    batches = 0

    def send_messages(self, messages):
        CrashingEmailBackend.batches += 1
        if CrashingEmailBackend.batches > 1:
            CrashingEmailBackend.batches = 0
            raise ConnectionError("the mail server went away")
        return super().send_messages(messages)
