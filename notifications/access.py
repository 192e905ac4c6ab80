"""Which notices, robots, templates and deliveries a user may open: a notice only its
addressee; the rest only UFD staff of the same organisation (the views check the role)."""

from django.shortcuts import get_object_or_404

from notifications.models import Delivery, MessageTemplate, Notification, Robot


def get_own_notification(request, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, user=request.user)


def get_robot_for_user(request, pk: int) -> Robot:
    return get_object_or_404(Robot, pk=pk, organisation=request.organisation)


def get_template_for_user(request, pk: int) -> MessageTemplate:
    return get_object_or_404(MessageTemplate, pk=pk, organisation=request.organisation)


def get_failed_delivery(request, pk: int) -> Delivery:
    return get_object_or_404(Delivery, pk=pk, organisation=request.organisation, status=Delivery.Status.FAILED)
