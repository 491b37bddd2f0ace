"""The emails about new work, rendered when queued and sent through the outbox."""

from django.template.loader import render_to_string

from partnership.outbox.services import email_queue
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor


def notice_email(*, notice, actor: Actor):
    """One email about one thing newly asked of the person."""
    return email_queue(
        to=notice.user.email,
        subject=f"New in Your work: {notice.title}"[:300].replace("\n", " "),
        text=render_to_string(
            "work/email/notice.txt",
            {"notice": notice, "link": absolute_url(notice.url), "home": absolute_url("/work/")},
        ),
        kind="work.notice",
        related=notice,
        actor=actor,
    )


def digest_email(*, user, notices, actor: Actor):
    """The day's one email listing everything newly asked of the person."""
    count = len(notices)
    return email_queue(
        to=user.email,
        subject=f"Your work: {count} new thing{'s' if count != 1 else ''} asked of you",
        text=render_to_string(
            "work/email/digest.txt",
            {
                "user": user,
                "notices": [(n, absolute_url(n.url)) for n in notices],
                "home": absolute_url("/work/"),
            },
        ),
        kind="work.digest",
        batch=f"work-digest:{notices[-1].seen_at:%Y-%m-%d}",
        actor=actor,
    )
