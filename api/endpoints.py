"""The versioned API for other systems (/api/v1/): bearer tokens of integration accounts, one
organisation per token, scopes, pagination, a rate limit per token, and an audit row per call.
Reads go through the apps' querysets (`for_org`); writes through their services, run as the
token's `acts_as` account so the services' own role checks apply."""

import uuid
from typing import Annotated

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext
from ninja import NinjaAPI, Path, Query
from ninja import Status as Reply
from ninja.security import HttpBearer

from api import schemas as s
from core import audit
from core.exceptions import NotAllowed
from core.models import AuditEvent
from events import services as event_services
from events.models import Event, Registration
from integrations import services as integration_services
from integrations.models import Scope
from people.models import Person
from plans import services as plan_services
from plans.models import Item, Plan, Section
from proposals import services as proposal_services
from proposals.models import Proposal
from proposals.models import Status as ProposalStatus

REFUSALS = (NotAllowed, plan_services.NotAllowed, event_services.NotAllowed, proposal_services.NotAllowed)
ERRORS = {code: s.Error for code in (400, 401, 403, 404, 422, 429)}
WRITE_ERRORS = ERRORS | {409: s.Error}
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


class ScopeMissing(Exception):
    pass


class TokenAuth(HttpBearer):
    """`Authorization: Bearer txk_…`. Unknown or revoked → 401; over the rate → 429. Each
    accepted call writes one audit row (接口调用) under the token's organisation."""

    def authenticate(self, request, token):
        found = integration_services.authenticate(token)
        if found is None:
            return None
        wait = integration_services.rate_limited(found)
        if wait:
            raise RateLimited(wait)
        request.integration = found
        audit.record(
            "api.call",
            organisation=found.organisation,
            username=_who(found),
            object_type="api",
            changes={"request": f"{request.method} {request.path}"[:300], "token": found.prefix},
            request=request,
        )
        return found


api = NinjaAPI(
    title="同心 Tongxin API",
    version="1",
    description="供学校其他系统对接的接口。每个令牌属于一个单位，按权限范围（scope）访问。",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(RateLimited)
def _rate_limited(request, exc: RateLimited):
    response = api.create_response(request, {"detail": gettext("请求过于频繁，请稍后再试。")}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ScopeMissing)
def _scope_missing(request, exc: ScopeMissing):
    return api.create_response(request, {"detail": str(exc)}, status=403)


def _who(token) -> str:
    return f"api:{token.name}"[:150]


def _token(request, scope: str):
    """The request's token when it holds `scope`; else 403 (audited as denied)."""
    token = request.auth
    if not token.has_scope(scope):
        audit.record(
            "api.call",
            organisation=token.organisation,
            username=_who(token),
            object_type="api",
            changes={"request": f"{request.method} {request.path}"[:300], "scope": scope},
            request=request,
            result=AuditEvent.Result.DENIED,
        )
        raise ScopeMissing(gettext("令牌没有权限范围 %(scope)s。") % {"scope": scope})
    return token


def _writer(request, scope: str):
    token = _token(request, scope)
    membership = getattr(token.acts_as, "membership", None) if token.acts_as else None
    if membership is None or not token.acts_as.is_active or membership.organisation_id != token.organisation_id:
        raise ScopeMissing(gettext("该令牌没有设置写入时代表的账号，不能写入。"))
    return token


class Paging(s.Schema):
    limit: int = s.Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
    offset: int = s.Field(0, ge=0, le=2**31 - 1)


def _page(queryset, paging: Paging, convert) -> dict:
    rows = list(queryset[paging.offset : paging.offset + paging.limit])
    return {
        "count": queryset.count(),
        "limit": paging.limit,
        "offset": paging.offset,
        "items": [convert(r) for r in rows],
    }


def _get(queryset, pk: int):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _refused(error) -> Reply:
    return Reply(409, {"detail": str(error)})


# --- Plans ------------------------------------------------------------------------------------


def _plans(token):
    return Plan.objects.for_org(token.organisation).filter(status=Plan.Status.PUBLISHED)


def _items(token):
    return (
        Item.objects.filter(plan__in=_plans(token))
        .select_related("lead_department")
        .prefetch_related("targets")
        .order_by("plan_id", "order", "pk")
    )


def _item_out(item: Item) -> dict:
    return {
        "id": item.pk,
        "plan_id": item.plan_id,
        "section_id": item.section_id,
        "marker": item.marker,
        "number": item.number,
        "title": item.title,
        "lead_department": item.lead_department.name if item.lead_department else None,
        "due_date": item.due_date,
        "status": item.status,
        "progress": item.progress,
        "accepted": item.accepted_at is not None,
        "targets": [{"id": t.pk, "text": t.text, "count": t.count, "achieved": t.achieved} for t in item.targets.all()],
    }


@api.get("/", response={200: s.Index}, auth=None, tags=["index"], summary="接口索引", url_name="index")
def index(request):
    """Public, like the schema: where the schema and the docs are, and how to authenticate."""
    base = request.path.rstrip("/")
    return {
        "name": api.title,
        "version": api.version,
        "openapi": f"{base}{api.openapi_url}",
        "docs": f"{base}{api.docs_url}",
        "authentication": "Authorization: Bearer txk_…",
    }


@api.get("/plans", response={200: s.PlanPage} | ERRORS, tags=["plans"], summary="工作要点（已发布）")
def list_plans(request, paging: Query[Paging]):
    token = _token(request, Scope.PLANS_READ)
    plans = _plans(token).order_by("-year", "pk")
    return _page(plans, paging, lambda p: p)


@api.get("/plans/{plan_id}/sections", response={200: s.SectionPage} | ERRORS, tags=["plans"], summary="工作要点的部分")
def list_sections(request, plan_id: Id, paging: Query[Paging]):
    token = _token(request, Scope.PLANS_READ)
    plan = _get(_plans(token), plan_id)
    return _page(Section.objects.filter(plan=plan).order_by("order", "pk"), paging, lambda x: x)


@api.get("/plans/{plan_id}/items", response={200: s.ItemPage} | ERRORS, tags=["plans"], summary="任务、状态与目标")
def list_items(request, plan_id: Id, paging: Query[Paging]):
    token = _token(request, Scope.PLANS_READ)
    plan = _get(_plans(token), plan_id)
    return _page(_items(token).filter(plan=plan), paging, _item_out)


@api.get("/items/{item_id}", response={200: s.ItemOut} | ERRORS, tags=["plans"], summary="一项任务")
def get_item(request, item_id: Id):
    token = _token(request, Scope.PLANS_READ)
    return _item_out(_get(_items(token), item_id))


@api.post(
    "/items/{item_id}/reports", response={201: s.ReportOut} | WRITE_ERRORS, tags=["plans"], summary="报送任务进展"
)
def post_report(request, item_id: Id, data: s.ReportIn):
    token = _writer(request, Scope.PLANS_WRITE)
    item = _get(Item.objects.filter(plan__in=_plans(token)), item_id)
    try:
        report = plan_services.post_report(item, by=token.acts_as, text=data.text, request=request)
    except REFUSALS as error:
        return _refused(error)
    return Reply(201, report)


# --- Events -----------------------------------------------------------------------------------


def _events(token):
    counted = Registration.Status
    return (
        Event.objects.for_org(token.organisation)
        .exclude(status=Event.Status.DRAFT)
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status=counted.REGISTERED)),
            waiting=Count("registrations", filter=Q(registrations__status=counted.WAITING)),
        )
        .order_by("-starts_at", "pk")
    )


def _event_out(event: Event) -> dict:
    return {
        "id": event.pk,
        "title": event.title,
        "type": event.type,
        "status": event.status,
        "held": event.held_at is not None,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "capacity": event.capacity,
        "registered": event.registered,
        "waiting": event.waiting,
    }


@api.get("/events", response={200: s.EventPage} | ERRORS, tags=["events"], summary="活动（含报名人数）")
def list_events(request, paging: Query[Paging]):
    token = _token(request, Scope.EVENTS_READ)
    return _page(_events(token), paging, _event_out)


@api.get("/events/{event_id}", response={200: s.EventOut} | ERRORS, tags=["events"], summary="一个活动")
def get_event(request, event_id: Id):
    token = _token(request, Scope.EVENTS_READ)
    return _event_out(_get(_events(token), event_id))


def _person_by_staff_number(token, staff_number: str) -> Person:
    person = Person.objects.for_org(token.organisation).filter(staff_number=staff_number).first()
    if person is None:
        raise Http404
    return person


@api.post(
    "/events/{event_id}/registrations",
    response={201: s.RegistrationOut} | WRITE_ERRORS,
    tags=["events"],
    summary="活动报名（按工号）",
)
def register(request, event_id: Id, data: s.RegistrationIn):
    token = _writer(request, Scope.EVENTS_WRITE)
    event = _get(Event.objects.for_org(token.organisation).exclude(status=Event.Status.DRAFT), event_id)
    person = _person_by_staff_number(token, data.staff_number)
    try:
        registration = event_services.register(event, person=person, by=token.acts_as, request=request)
    except REFUSALS as error:
        return _refused(error)
    return Reply(201, registration)


# --- Suggestions and proposals ----------------------------------------------------------------


def _proposals(token):
    # Drafts belong to their author only; the submitter is personal data and is not published.
    proposals = Proposal.objects.for_org(token.organisation).exclude(status=ProposalStatus.DRAFT)
    return proposals.order_by("-submitted_at", "-pk")


@api.get("/proposals", response={200: s.ProposalPage} | ERRORS, tags=["proposals"], summary="建言、提案、社情民意")
def list_proposals(request, paging: Query[Paging]):
    token = _token(request, Scope.PROPOSALS_READ)
    return _page(_proposals(token), paging, lambda p: p)


@api.get("/proposals/{proposal_id}", response={200: s.ProposalOut} | ERRORS, tags=["proposals"], summary="一条建言")
def get_proposal(request, proposal_id: Id):
    token = _token(request, Scope.PROPOSALS_READ)
    return _get(_proposals(token), proposal_id)


@api.post(
    "/proposals", response={201: s.ProposalOut} | WRITE_ERRORS, tags=["proposals"], summary="提交建言（代为录入）"
)
def submit_proposal(request, data: s.ProposalIn):
    token = _writer(request, Scope.PROPOSALS_WRITE)
    person = _person_by_staff_number(token, data.staff_number)
    fields = {
        "kind": data.kind,
        "category": data.category,
        "title": data.title,
        "content": data.content,
        "source": f"系统对接：{token.name}"[:100],
    }
    try:
        proposal, _created = proposal_services.submit_on_behalf(
            token.organisation,
            by=token.acts_as,
            submitter=person,
            data=fields,
            client_token=uuid.UUID(data.client_token) if data.client_token else uuid.uuid4(),
            request=request,
        )
    except REFUSALS as error:
        return _refused(error)
    return Reply(201, proposal)


# --- People (people:read only; masked; every read audited like the person page) ----------------


def _people(token):
    return (
        Person.objects.for_org(token.organisation)
        .select_related("department")
        .prefetch_related("category_links")
        .order_by("pk")
    )


def _person_out(token, request):
    def convert(person: Person) -> dict:
        audit.record("view", organisation=token.organisation, obj=person, username=_who(token), request=request)
        return {
            "id": person.pk,
            "name": person.name,
            "staff_number": person.staff_number,
            "department": person.department.name if person.department else None,
            "categories": [link.category for link in person.category_links.all()],
            "phone": person.masked_phone,
            "email": person.masked_email,
        }

    return convert


@api.get("/people", response={200: s.PersonPage} | ERRORS, tags=["people"], summary="统战对象（脱敏）")
def list_people(request, paging: Query[Paging]):
    token = _token(request, Scope.PEOPLE_READ)
    return _page(_people(token), paging, _person_out(token, request))


@api.get("/people/{person_id}", response={200: s.PersonOut} | ERRORS, tags=["people"], summary="一位统战对象（脱敏）")
def get_person(request, person_id: Id):
    token = _token(request, Scope.PEOPLE_READ)
    return _person_out(token, request)(_get(_people(token), person_id))
