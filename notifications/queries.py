"""Reads of notifications for the home pages, in a fixed number of queries."""

from notifications.models import Notification


def unread(user, *, limit: int = 3) -> dict:
    """{"notifications": the latest unread ones (at most `limit`), "count": all unread}. Two queries."""
    notifications = Notification.objects.filter(user=user).unread()
    return {"notifications": list(notifications[:limit]), "count": notifications.count()}
