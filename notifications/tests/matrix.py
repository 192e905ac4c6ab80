"""The notification channels' rows of the access matrix (dashboard/tests/test_access_matrix.py)."""

from orgs.models import Role

ALL = set(Role)
STAFF = {Role.UFD_STAFF}

NOTIFICATIONS_MATRIX = {
    "notifications:list": (ALL, "get"),
    "notifications:open": (ALL, "post"),
    "notifications:read-all": (ALL, "post"),
    "notifications:preferences": (ALL, "get"),
    "notifications:robots": (STAFF, "get"),
    "notifications:robot-create": (STAFF, "get"),
    "notifications:robot-edit": (STAFF, "get"),
    "notifications:robot-delete": (STAFF, "post"),
    "notifications:robot-test": (STAFF, "post"),
    "notifications:templates": (STAFF, "get"),
    "notifications:template-edit": (STAFF, "get"),
    "notifications:deliveries": (STAFF, "get"),
    "notifications:delivery-retry": (STAFF, "post"),
}


def notifications_url_kwargs(org, personas):
    """A robot, a template and a failed delivery of `org`."""
    from django.utils import timezone

    from notifications.models import Delivery, MessageTemplate, Robot

    robot = Robot.objects.create(organisation=org, kind="wecom", name="群", url="http://127.0.0.1:9/hook")
    template = MessageTemplate.objects.create(organisation=org, key="deadline", text="{title}")
    delivery = Delivery.objects.create(
        organisation=org,
        channel="wecom",
        robot=robot,
        subject="x",
        text="x",
        status=Delivery.Status.FAILED,
        next_attempt_at=timezone.now(),
    )
    return {
        "notifications:robot-edit": {"pk": robot.pk},
        "notifications:robot-delete": {"pk": robot.pk},
        "notifications:robot-test": {"pk": robot.pk},
        "notifications:template-edit": {"pk": template.pk},
        "notifications:delivery-retry": {"pk": delivery.pk},
    }
