"""Notifications: in-app always, e-mail when asked and the user has an address.

Call `notify` from a service; mail goes out after the transaction commits, through huey."""

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification


def notify(users, *, organisation, title: str, body: str = "", url: str = "", email: bool = False) -> int:
    """Creates one notification per user; queues e-mail after commit. Returns the count."""
    users = [u for u in dict.fromkeys(users) if u is not None and u.is_active]
    Notification.objects.bulk_create(
        [Notification(user=u, organisation=organisation, title=title[:200], body=body, url=url) for u in users]
    )
    recipients = [u.email for u in users if u.email]
    if email and recipients:
        from notifications.tasks import send_email

        transaction.on_commit(lambda: send_email(recipients, title, body, url))
    return len(users)


def mark_read(user, pk: int | None = None) -> int:
    notifications = Notification.objects.filter(user=user).unread()
    if pk is not None:
        notifications = notifications.filter(pk=pk)
    return notifications.update(read_at=timezone.now())
