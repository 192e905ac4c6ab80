"""The shapes the API reads and writes (pydantic, through django-ninja): what the OpenAPI schema
publishes and what schemathesis checks every response against."""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

# Text without NUL characters (PostgreSQL refuses them), trimmed, with a length bound.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^\x00]+$")]


class Error(Schema):
    detail: Any = Field(description="原因（中文），或校验错误的列表")


class Index(Schema):
    name: str
    version: str
    openapi: str = Field(description="OpenAPI 3 文档地址")
    docs: str = Field(description="接口说明页面")
    authentication: str = Field(description="如何携带令牌")


class Page(Schema):
    count: int = Field(description="符合条件的总条数")
    limit: int
    offset: int


class PlanOut(Schema):
    id: int
    year: int
    title: str
    status: str
    published_at: datetime | None


class PlanPage(Page):
    items: list[PlanOut]


class SectionOut(Schema):
    id: int
    plan_id: int
    marker: str
    number: int
    title: str


class SectionPage(Page):
    items: list[SectionOut]


class TargetOut(Schema):
    id: int
    text: str
    count: int = Field(description="目标数量")
    achieved: int = Field(description="已完成数量")


class ItemOut(Schema):
    id: int
    plan_id: int
    section_id: int
    marker: str
    number: int
    title: str
    lead_department: str | None
    due_date: date
    status: str = Field(description="not_started 未启动 · in_progress 推进中 · done 已完成 · overdue 逾期")
    progress: int = Field(description="进度（0–100）")
    accepted: bool = Field(description="已销号")
    targets: list[TargetOut]


class ItemPage(Page):
    items: list[ItemOut]


class ReportIn(Schema):
    text: Annotated[Text, StringConstraints(max_length=5000)] = Field(description="进展内容")


class ReportOut(Schema):
    id: int
    item_id: int
    kind: str
    text: str
    created_at: datetime


class EventOut(Schema):
    id: int
    title: str
    type: str
    status: str = Field(description="draft 草稿 · published 已发布 · cancelled 已取消")
    held: bool = Field(description="已确认举办")
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int | None
    registered: int = Field(description="已报名人数")
    waiting: int = Field(description="候补人数")


class EventPage(Page):
    items: list[EventOut]


class RegistrationIn(Schema):
    staff_number: Annotated[Text, StringConstraints(max_length=32)] = Field(description="报名人的工号")


class RegistrationOut(Schema):
    id: int
    event_id: int
    status: str = Field(description="registered 已报名 · waiting 候补")


class ProposalOut(Schema):
    id: int
    kind: str
    category: str
    title: str
    status: str
    case_number: str
    submitted_at: datetime | None
    answered_at: datetime | None
    outcome: str


class ProposalPage(Page):
    items: list[ProposalOut]


class ProposalIn(Schema):
    staff_number: Annotated[Text, StringConstraints(max_length=32)] = Field(description="提出人的工号")
    kind: str = Field("suggestion", pattern=r"^(suggestion|proposal|opinion)$")
    category: str = Field("other", pattern=r"^(development|teaching|talent|logistics|safety|other)$")
    title: Annotated[Text, StringConstraints(max_length=200)]
    content: Annotated[Text, StringConstraints(max_length=10000)]
    client_token: str | None = Field(
        None,
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        description="调用方生成的 UUID：重复提交同一个 UUID 只会产生一条建言",
    )


class PersonOut(Schema):
    id: int
    name: str
    staff_number: str
    department: str | None
    categories: list[str]
    phone: str = Field(description="脱敏手机号")
    email: str = Field(description="脱敏邮箱")


class PersonPage(Page):
    items: list[PersonOut]
