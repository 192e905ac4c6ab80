from django.utils.functional import SimpleLazyObject


def _membership(request):
    user = request.user
    if not user.is_authenticated:
        return None
    from orgs.models import Membership

    return Membership.objects.select_related("organisation").prefetch_related("departments").filter(user=user).first()


class MembershipMiddleware:
    """Puts the user's membership (role, organisation, departments) on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: _membership(request))
        return self.get_response(request)
