"""The system admin's page for integration accounts: API tokens (shown once) and webhook
endpoints (secret shown once), with the recent webhook deliveries."""

from django.contrib import messages as flash
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from integrations import services
from integrations.forms import EndpointForm, TokenForm
from integrations.models import IntegrationToken, WebhookDelivery, WebhookEndpoint
from orgs.access import role_required
from orgs.models import Role

ADMIN = Role.SYSADMIN


def _page(request, *, token_form=None, endpoint_form=None, **extra):
    org = request.organisation
    context = {
        "tokens": IntegrationToken.objects.for_org(org).select_related("acts_as", "created_by"),
        "endpoints": WebhookEndpoint.objects.filter(organisation=org),
        "deliveries": WebhookDelivery.objects.filter(endpoint__organisation=org).select_related("endpoint")[:20],
        "token_form": token_form or TokenForm(organisation=org),
        "endpoint_form": endpoint_form or EndpointForm(),
        **extra,
    }
    return render(request, "integrations/overview.html", context)


@never_cache
@role_required(ADMIN)
def overview(request):
    return _page(request)


@never_cache
@role_required(ADMIN)
@require_POST
def token_create(request):
    form = TokenForm(request.POST, organisation=request.organisation)
    if not form.is_valid():
        return _page(request, token_form=form)
    token, raw = services.create_token(
        request.organisation,
        by=request.user,
        name=form.cleaned_data["name"],
        scopes=form.cleaned_data["scopes"],
        acts_as=form.cleaned_data["acts_as"],
        request=request,
    )
    # Shown once, in this response only (never stored, never redirected through the session).
    return _page(request, new_token=token, new_token_value=raw)


@role_required(ADMIN)
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(IntegrationToken, pk=pk, organisation=request.organisation)
    services.revoke_token(token, by=request.user, request=request)
    flash.success(request, _("已吊销令牌“%(name)s”。") % {"name": token.name})
    return redirect("integrations:overview")


@never_cache
@role_required(ADMIN)
@require_POST
def endpoint_create(request):
    form = EndpointForm(request.POST)
    if not form.is_valid():
        return _page(request, endpoint_form=form)
    endpoint, secret = services.create_endpoint(
        request.organisation, by=request.user, **form.cleaned_data, request=request
    )
    return _page(request, new_endpoint=endpoint, new_endpoint_secret=secret)


@role_required(ADMIN)
@require_POST
def endpoint_delete(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk, organisation=request.organisation)
    services.delete_endpoint(endpoint, by=request.user, request=request)
    flash.success(request, _("已删除 Webhook 地址。"))
    return redirect("integrations:overview")
