"""Who may see a review beyond its scope, the record of each view, and learning themes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from partnership.accounts.models import ROLES_NEEDING_TWO_FACTOR
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record

from ..models import (
    AccessReason,
    LearningTheme,
    Review,
    ReviewAccess,
)
from .common import _audit
from .local import _grant

# Access, views and themes ------------------------------------------------------------------


@transaction.atomic
def access_grant(*, review: Review, user, actor: Actor) -> ReviewAccess:
    if not user.has_role(*ROLES_NEEDING_TWO_FACTOR):
        raise ValidationError(
            {
                "email": f"{user} has no role that may see confidential records: ask for them to "
                "be given one (for example group member) first"
            }
        )
    if ReviewAccess.objects.filter(review=review, user=user).exists():
        raise ValidationError({"email": f"{user} is already on the access list"})
    grant = _grant(review, user, AccessReason.ADDED, actor)
    _audit(
        review,
        actor=actor,
        action=Action.GRANT,
        summary=f"Added {user} to the access list",
    )
    return grant


@transaction.atomic
def access_revoke(*, grant: ReviewAccess, actor: Actor) -> None:
    review, user = grant.review, grant.user
    grant.delete()
    _audit(
        review,
        actor=actor,
        action=Action.REVOKE,
        summary=f"Removed {user} from the access list",
    )


def review_viewed(*, review: Review, actor: Actor, page: str) -> None:
    """Every view of a review is on the record: who, when and which page."""
    with transaction.atomic():
        _audit(review, actor=actor, action=Action.VIEW, summary=f"Viewed {page}")


@transaction.atomic
def theme_save(*, theme: LearningTheme, actor: Actor) -> LearningTheme:
    creating = theme.pk is None
    if creating:
        base = slugify(theme.name)[:90] or "theme"
        slug, counter = base, 2
        while LearningTheme.objects.filter(slug=slug).exists():
            slug, counter = f"{base}-{counter}", counter + 1
        theme.slug = slug
    theme.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        obj=theme,
        summary=f"{'Added' if creating else 'Changed'} the learning theme {theme.name!r}",
    )
    return theme
