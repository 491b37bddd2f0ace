"""The API's idempotent submission."""

import hashlib
import json

from django.db import IntegrityError, transaction

from partnership.trail.actors import Actor

from ..models import (
    DataReturn,
    IdempotencyKey,
    ReturnVersion,
    Source,
)
from .checking import check_batch
from .saving import get_return, save_return


class IdempotencyConflict(ValueError):
    pass


def payload_hash(payload) -> str:
    """A fingerprint of an API body, kept with its idempotency key."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def submit_via_api(
    period, rows: list[dict], *, actor: Actor, key: str, reason: str = "", submit=True
):
    """Check and save an API batch once per idempotency key, for the token's organisation.

    `actor` is the agency's token (an idempotency key belongs to a token), so the version
    and its audit entry name the token and its organisation. Returns (version or None, errors, replayed). The same key with the same body answers as
    the first call did, making no new version; with a different body, IdempotencyConflict.
    A refused batch creates nothing, not even an empty return: the organisation's return for
    the period is made only when its first figures are saved.
    """
    token = actor.token
    if token is None:
        raise ValueError("A return through the API is sent with an agency's token")
    organisation = token.organisation
    digest = payload_hash(
        {
            "organisation": organisation.pk,
            "period": period.pk,
            "rows": rows,
            "reason": reason,
            "submit": submit,
        }
    )
    if key:
        previous = IdempotencyKey.objects.filter(token=token, key=key).first()
        if previous is not None:
            if previous.request_hash != digest:
                raise IdempotencyConflict("This Idempotency-Key was used for a different request")
            return (
                ReturnVersion.objects.get(
                    data_return_id=previous.data_return_id, number=previous.version_number
                ),
                [],
                True,
            )
    data_return = DataReturn.objects.filter(organisation=organisation, period=period).first()
    # An unsaved return is enough to check against (its organisation and period).
    checked = check_batch(
        data_return or DataReturn(organisation=organisation, period=period),
        [{"row": n, **row} for n, row in enumerate(rows, start=1)],
    )
    if not checked.ok:
        return None, checked.errors, False
    try:
        with transaction.atomic():
            data_return = get_return(organisation, period)
            version = save_return(
                data_return,
                checked.rows,
                source=Source.API,
                reason=reason,
                submit=submit,
                actor=actor,
            )
            if key:
                IdempotencyKey.objects.create(
                    token=token,
                    key=key,
                    request_hash=digest,
                    data_return=data_return,
                    version_number=version.number,
                )
    except IntegrityError:
        # Another request with the same key won the race: answer as it did.
        previous = IdempotencyKey.objects.get(token=token, key=key)
        if previous.request_hash != digest:
            raise IdempotencyConflict(
                "This Idempotency-Key was used for a different request"
            ) from None
        version = ReturnVersion.objects.get(
            data_return_id=previous.data_return_id, number=previous.version_number
        )
        return version, [], True
    return version, [], False
