"""Role checks for views. Every view names the roles that may use it."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from orgs.models import Role


def membership_of(request):
    membership = getattr(request, "membership", None)
    return membership if membership else None  # a lazy object proxies bool() to what it wraps


def role_required(*roles: Role):
    """Login required, then one of `roles`; sets request.organisation. Others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_of(request)
            if membership is None or membership.role not in roles:
                raise PermissionDenied
            request.organisation = membership.organisation
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = tuple(roles)
        return wrapper

    return decorator


def login_with_membership(view):
    """Any role; sets request.organisation (None for an account with no role)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = membership_of(request)
        request.organisation = membership.organisation if membership else None
        return view(request, *args, **kwargs)

    return wrapper
