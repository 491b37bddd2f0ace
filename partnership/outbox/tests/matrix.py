from partnership.accounts.tests.matrix_support import only
from partnership.outbox.services import email_queue
from partnership.trail.actors import Actor


def _email(personas) -> dict:
    email = email_queue(
        to="ann.lee@example.org",
        subject="Your place is booked",
        text="See you on Friday.",
        kind="tests.matrix",
        actor=Actor.system("permission matrix"),
    )
    return {"pk": email.pk}


ROWS = {
    "outbox:emails": ("get", {}, only(["business_unit"])),
    "outbox:email": ("get", _email, only(["business_unit"])),
    # The email was sent, so the business unit's retry is refused with a message: a redirect.
    "outbox:retry": ("post", _email, only(["business_unit"], code=302)),
}
