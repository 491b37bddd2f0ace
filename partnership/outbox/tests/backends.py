"""Mail backends for the tests: a mail server that is down, and one that fails once."""

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class DownBackend(LocmemBackend):
    """Refuses every message, as a mail server that is down does."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


class FailsOnceBackend(LocmemBackend):
    """Refuses the first message it is given in a test, then delivers (into mail.outbox)."""

    failures_left = 0

    def send_messages(self, messages):
        if FailsOnceBackend.failures_left > 0:
            FailsOnceBackend.failures_left -= 1
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)
