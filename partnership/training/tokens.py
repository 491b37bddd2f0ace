"""The signed tokens in training's private links: feedback (evaluation and impact) and
confirming a registration. Read by the services and by the emails that carry the links."""

from django.core import signing

from .models import Booking, Respondent

FEEDBACK_SALT = "training.feedback"
REGISTRATION_SALT = "training.registration"
REGISTRATION_DAYS = 3


def feedback_token(booking: Booking, respondent: Respondent | str) -> str:
    """The private link's token for one booking's evaluation or impact follow-up."""
    return signing.dumps([booking.pk, str(respondent)], salt=FEEDBACK_SALT, compress=False)


def feedback_booking(token: str) -> tuple[Booking, str] | None:
    """The booking and respondent a token is for, or None for a token that is not ours."""
    try:
        booking_id, respondent = signing.loads(token, salt=FEEDBACK_SALT)
        booking_id = int(booking_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if respondent not in Respondent.values:
        return None
    booking = (
        Booking.objects.select_related("session__course", "evaluation")
        .filter(pk=booking_id)
        .first()
    )
    return (booking, respondent) if booking is not None else None
