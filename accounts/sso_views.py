"""Single sign-on pages (issue 17): each protocol's start (to the identity provider) and callback."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts import sso


def _remember_next(request) -> None:
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    request.session[sso.PENDING] = {"next": target}


def _finish(request, protocol: str, identity_of):
    """Runs the protocol's check, signs in, and sends the user on (or back to the login page)."""
    pending = request.session.pop(sso.PENDING, None) or {}
    try:
        sso.sign_in(request, identity_of(pending))
    except sso.SSOError as error:
        sso.fail(request, protocol, error)
        messages.error(request, error.message)
        return redirect("accounts:login")
    target = pending.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    return redirect(target or "dashboard:home")


def _disabled(request):
    messages.error(request, _(sso.MESSAGES["disabled"]))
    return redirect("accounts:login")


@require_GET
def cas_start(request):
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    if not sso.cas_enabled():
        return _disabled(request)
    _remember_next(request)
    return redirect(sso.cas_login_url(request.build_absolute_uri(reverse("accounts:sso-cas-callback"))))


@csrf_exempt  # only for the CAS server's back-channel logout POST; the GET leg needs no token
@require_http_methods(["GET", "POST"])
def cas_callback(request):
    if request.method == "POST":
        return _cas_single_logout(request)
    if not sso.cas_enabled():
        return _disabled(request)
    service = request.build_absolute_uri(reverse("accounts:sso-cas-callback"))
    return _finish(request, sso.CAS, lambda pending: sso.cas_identity(request.GET.get("ticket", ""), service))


def _cas_single_logout(request):
    """The CAS server POSTs a SAML logoutRequest to the service URL when the user logs out there:
    the sessions signed in with that ticket end. Never signs anyone in, sets no cookie."""
    body = request.POST.get("logoutRequest", "")
    if not sso.cas_enabled() or not body:
        return HttpResponseBadRequest("", content_type="text/plain")
    try:
        sso.cas_single_logout(request, body)
    except sso.SSOError:
        return HttpResponseBadRequest("", content_type="text/plain")
    return HttpResponse("", content_type="text/plain")


@require_GET
def oidc_start(request):
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    if not sso.oidc_enabled():
        return _disabled(request)
    _remember_next(request)
    try:
        url, pending = sso.oidc_start(request.build_absolute_uri(reverse("accounts:sso-oidc-callback")))
    except sso.SSOError as error:
        sso.fail(request, sso.OIDC, error)
        messages.error(request, error.message)
        return redirect("accounts:login")
    request.session[sso.PENDING] = {**request.session[sso.PENDING], **pending}
    return redirect(url)


@require_GET
def oidc_callback(request):
    if not sso.oidc_enabled():
        return _disabled(request)
    redirect_uri = request.build_absolute_uri(reverse("accounts:sso-oidc-callback"))
    return _finish(request, sso.OIDC, lambda pending: sso.oidc_identity(request.GET, pending, redirect_uri))
