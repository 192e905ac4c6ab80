from django.db.models import prefetch_related_objects
from django.utils.functional import SimpleLazyObject


def _membership(request):
    """The signed-in user's membership with its organisation in one query; the departments (a second
    query) only for a liaison, the one role that has any. The same object is cached as
    `request.user.membership`, so code that reads `user.membership` does not query it again."""
    user = request.user
    if not user.is_authenticated:
        return None
    from orgs.models import Membership, Role

    membership = Membership.objects.select_related("organisation").filter(user=user).first()
    if membership is not None:
        if membership.role == Role.LIAISON:
            prefetch_related_objects([membership], "departments")
        Membership.user.field.set_cached_value(membership, getattr(user, "_wrapped", user))
    Membership.user.field.remote_field.set_cached_value(user, membership)
    return membership


class MembershipMiddleware:
    """Puts the user's membership (role, organisation, departments) on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: _membership(request))
        return self.get_response(request)
