"""The suggestion (建言献策) pages in English (issue 10, defect 10): each main page, as the role that
uses it, shows no Chinese outside the user data the test put there (titles, texts, names,
departments). The suggestion is walked through the services by people who use the English
interface, so the timeline notes the system writes are English too."""

import re
import uuid

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core.tests.english import chinese_outside
from proposals import services
from proposals.models import AnswerTemplate, Outcome, Rating
from proposals.tests.factories import make_filing

pytestmark = pytest.mark.django_db

TITLE = "关于延长图书馆开放时间的建议"
CONTENT = "建议周末开放到晚上十点。"
ANSWER = "已纳入下学期图书馆开放安排。"
# The user data these pages show: the suggestion, the people, departments and organisation.
USER_DATA = [
    TITLE,
    CONTENT,
    ANSWER,
    "张建言",
    "李联名",
    "学生工作处",
    "后勤管理处",
    "党委统战部",
    "示例职业技术学院",
    "ufd",
    "liaison",
    "关于加强职业教育产教融合的提案",
    "市政协",
    "纳入计划",
    "已纳入年度工作计划。",
]


def own_part(response) -> str:
    """The part of the page this app renders: the <title>, the member page title and <main>. The
    menus and tab bar around it come from the project templates, which the project catalogue
    translates (locale/en, kept by the i18n-core branch) and its own tests check."""
    html = response.content.decode()
    parts = [*re.findall(r"<title>.*?</title>", html, re.S), *re.findall(r'<h1 class="m-title">.*?</h1>', html)]
    parts += re.findall(r"<main.*?</main>", html, re.S)
    assert parts, "no <main> on the page"
    return "\n".join(parts)


def people(*users) -> list[str]:
    """The display names of the accounts the test made (user data the timeline shows)."""
    return [str(user) for user in users]


def english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def answered(org, ufd_staff, liaison, member, submitter, student_department, support_department, cosigner_user):
    """The member's suggestion, co-signed by 李联名, accepted, assigned to 学生工作处 with 后勤管理处
    supporting, answered, released after review and marked excellent and published."""
    data = {"kind": "suggestion", "category": "logistics", "title": TITLE, "content": CONTENT}
    with translation.override("en"):
        proposal, _ = services.save_draft(
            org,
            by=member,
            submitter=submitter,
            data=data,
            client_token=uuid.uuid4(),
            cosigners=[cosigner_user.person],
        )
        proposal = services.submit_proposal(proposal, by=member)
        services.confirm_cosign(proposal, by=cosigner_user, agree=True)
        proposal = services.accept_proposal(proposal, by=ufd_staff)
        proposal = services.assign_proposal(
            proposal, by=ufd_staff, lead=student_department, support=[support_department], review_required=True
        )
        proposal = services.answer_proposal(proposal, by=liaison, outcome=Outcome.ADOPTED, text=ANSWER)
        proposal = services.release_answer(proposal, by=ufd_staff)
        proposal = services.set_flags(proposal, by=ufd_staff, excellent=True, published=True)
    return proposal


def test_staff_inbox_in_english(client, ufd_staff, answered):
    response = english(client, ufd_staff).get(reverse("proposals:inbox"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Answered" in text  # the status badge and tile
    assert "Campus services" in text  # the category
    assert "Excellent suggestion" in text
    assert chinese_outside(own_part(response), user_data=USER_DATA) == []


def test_staff_handling_page_in_english(client, ufd_staff, liaison, member, cosigner_user, answered):
    response = english(client, ufd_staff).get(reverse("proposals:detail", args=[answered.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Handling history" in text
    assert "Approve and release the answer" in text  # a timeline step, stored in Chinese, shown in English
    assert "Marked excellent; Published" in text
    assert "Lead: 学生工作处" in text  # the assignment note written in English
    shown = [*USER_DATA, *people(ufd_staff, liaison, member, cosigner_user)]
    assert chinese_outside(own_part(response), user_data=shown) == []


def test_staff_pages_of_a_new_suggestion_in_english(client, ufd_staff, member, submitter):
    proposal, _ = services.save_draft(
        submitter.organisation,
        by=member,
        submitter=submitter,
        data={"kind": "opinion", "category": "safety", "title": TITLE, "content": CONTENT},
        client_token=uuid.uuid4(),
    )
    services.submit_proposal(proposal, by=member)
    response = english(client, ufd_staff).get(reverse("proposals:detail", args=[proposal.pk]))
    text = response.content.decode()
    assert "Accept and number" in text
    assert "Not accepted" in text  # the decline card
    assert "Public opinion report" in text
    # The submit step was done in Chinese: its label is translated on display; the other data is the user's.
    assert "Submit" in text
    assert chinese_outside(own_part(response), user_data=[*USER_DATA, *people(member)]) == []


def test_liaison_assigned_list_and_answer_form_in_english(
    client, org, ufd_staff, liaison, submitter, student_department
):
    AnswerTemplate.objects.create(organisation=org, title="纳入计划", text="已纳入年度工作计划。")
    with translation.override("en"):
        proposal, _ = services.save_draft(
            org,
            by=submitter.user,
            submitter=submitter,
            data={"kind": "suggestion", "category": "logistics", "title": TITLE, "content": CONTENT},
            client_token=uuid.uuid4(),
        )
        proposal = services.submit_proposal(proposal, by=submitter.user)
        proposal = services.accept_proposal(proposal, by=ufd_staff)
        proposal = services.assign_proposal(proposal, by=ufd_staff, lead=student_department)
    client = english(client, liaison)
    listing = client.get(reverse("proposals:assigned"))
    assert listing.status_code == 200
    assert "Assigned cases" in listing.content.decode()
    assert "Being handled" in listing.content.decode()
    assert chinese_outside(own_part(listing), user_data=USER_DATA) == []
    page = client.get(reverse("proposals:handle", args=[proposal.pk]))
    assert page.status_code == 200
    assert "Submit answer" in page.content.decode()
    assert "Object to the assignment" in page.content.decode()
    shown = [*USER_DATA, *people(ufd_staff, submitter.user)]
    assert chinese_outside(own_part(page), user_data=shown) == []
    refused = client.post(reverse("proposals:act", args=[proposal.pk, "answer"]), {"answer-text": ""})
    assert refused.status_code == 400  # the form again, with its errors
    assert "Please check what you entered." in refused.content.decode()
    assert "This field is required." in refused.content.decode()
    assert chinese_outside(own_part(refused), user_data=shown) == []


def test_figures_supervision_and_templates_in_english(client, ufd_staff, answered, org):
    AnswerTemplate.objects.create(organisation=org, title="纳入计划", text="已纳入年度工作计划。")
    client = english(client, ufd_staff)
    figures = client.get(reverse("proposals:figures"), {"year": timezone.localdate().year})
    assert figures.status_code == 200
    assert "Adoption rate" in figures.content.decode()
    assert chinese_outside(own_part(figures), user_data=USER_DATA) == []
    supervision = client.get(reverse("proposals:supervision"))
    assert "Suggestion supervision" in supervision.content.decode()
    assert chinese_outside(own_part(supervision), user_data=USER_DATA) == []
    templates = client.get(reverse("proposals:templates"))
    assert "Answer templates" in templates.content.decode()
    assert chinese_outside(own_part(templates), user_data=USER_DATA) == []
    new_template = client.get(reverse("proposals:template-new"))
    assert "New template" in new_template.content.decode()
    assert chinese_outside(own_part(new_template), user_data=USER_DATA) == []
    on_behalf = client.get(reverse("proposals:staff-new"))
    assert "Enter a suggestion for a member" in on_behalf.content.decode()
    assert chinese_outside(own_part(on_behalf), user_data=USER_DATA) == []


def test_outside_filings_in_english(client, ufd_staff, member, submitter):
    filing = make_filing(submitter)
    client = english(client, ufd_staff)
    listing = client.get(reverse("proposals:outside-list"))
    assert listing.status_code == 200
    assert "1 to verify" in listing.content.decode()
    assert "Public opinion report" in listing.content.decode()
    assert chinese_outside(own_part(listing), user_data=USER_DATA) == []
    detail = client.get(reverse("proposals:outside-detail", args=[filing.pk]))
    assert "Save verification" in detail.content.decode()
    assert "Municipal" in detail.content.decode()  # the level 市, worded as in the registry
    assert chinese_outside(own_part(detail), user_data=USER_DATA) == []
    client = english(client, member)
    mine = client.get(reverse("proposals:outside-mine"))
    assert "Record an outside filing" in mine.content.decode()
    assert chinese_outside(own_part(mine), user_data=USER_DATA) == []
    form = client.get(reverse("proposals:outside-new"))
    assert "Date filed" in form.content.decode()
    assert chinese_outside(own_part(form), user_data=USER_DATA) == []


def test_member_suggestion_pages_in_english(client, member, answered):
    client = english(client, member)
    mine = client.get(reverse("proposals:mine"))
    assert mine.status_code == 200
    assert "My suggestions" in mine.content.decode()
    assert chinese_outside(own_part(mine), user_data=USER_DATA) == []
    form = client.get(reverse("proposals:new"))
    assert "Make a suggestion" in form.content.decode()
    assert "Describe the problem" in form.content.decode()
    assert chinese_outside(own_part(form), user_data=USER_DATA) == []
    refused = client.post(reverse("proposals:new"), {"intent": "submit", "title": ""})
    assert "This field is required." in refused.content.decode()
    assert chinese_outside(own_part(refused), user_data=USER_DATA) == []
    detail = client.get(reverse("proposals:my-detail", args=[answered.pk]))
    text = detail.content.decode()
    assert "Are you satisfied with the answer?" in text
    assert "Mostly satisfied" in text
    assert chinese_outside(own_part(detail), user_data=USER_DATA) == []


def test_member_rates_in_english(client, member, answered):
    client = english(client, member)
    url = reverse("proposals:act", args=[answered.pk, "rate"])
    done = client.post(url, {"rate-rating": Rating.BASIC, "rate-comment": ""}, follow=True)
    assert done.status_code == 200
    text = done.content.decode()
    assert "Thank you for rating." in text
    assert "Mostly satisfied" in text
    assert chinese_outside(own_part(done), user_data=USER_DATA) == []


def test_published_suggestions_in_english(client, other_member, answered):
    response = english(client, other_member).get(reverse("proposals:published"))
    assert response.status_code == 200
    assert "Answered suggestions the United Front Work Department has published" in response.content.decode()
    assert "Adopted" in response.content.decode()
    assert chinese_outside(own_part(response), user_data=USER_DATA) == []


def test_the_same_pages_stay_chinese_by_default(client, ufd_staff, member, answered):
    client.force_login(ufd_staff)
    assert "建言献策" in client.get(reverse("proposals:inbox")).content.decode()
    assert "办理过程" in client.get(reverse("proposals:detail", args=[answered.pk])).content.decode()
    client.force_login(member)
    assert "我的建言" in client.get(reverse("proposals:mine")).content.decode()


def _fits(phone):
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_suggestion_pages_in_english_on_a_phone(live_server, phone, member, answered):
    """At 375 px, in English: the member's suggestion list, the form (a new suggestion submitted),
    and the answered suggestion rated — each page reads in English and fits the screen."""
    from conftest import log_in, shot, submit

    base = live_server.url
    log_in(phone, base, "member")
    phone.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])

    phone.goto(f"{base}{reverse('proposals:mine')}")
    main = phone.inner_text("main")
    assert "My suggestions" in main
    assert chinese_outside(main, user_data=USER_DATA) == []
    _fits(phone)
    shot(phone, "proposals-mine-en-375")

    phone.click("text=Make a suggestion")
    phone.wait_for_load_state()
    assert chinese_outside(phone.inner_text("main"), user_data=USER_DATA) == []
    _fits(phone)
    phone.select_option("select[name=category]", label="Campus safety")
    phone.fill("input[name=title]", "关于校园夜间照明的建议")
    phone.fill("textarea[name=content]", "建议在操场增加路灯。")
    shot(phone, "proposals-form-en-375")
    submit(phone, "button[value=submit]")
    main = phone.inner_text("main")
    assert "Awaiting review" in main
    assert chinese_outside(main, user_data=[*USER_DATA, "关于校园夜间照明的建议", "建议在操场增加路灯。"]) == []
    _fits(phone)

    phone.goto(f"{base}{reverse('proposals:my-detail', args=[answered.pk])}")
    assert chinese_outside(phone.inner_text("main"), user_data=USER_DATA) == []
    _fits(phone)
    phone.check("input[name=rate-rating][value=satisfied]")
    shot(phone, "proposals-rate-en-375")
    submit(phone, "form[action$='/do/rate/'] button")
    main = phone.inner_text("main")
    assert "Thank you for rating." in main
    assert "Submitter’s rating: Satisfied" in main
    assert chinese_outside(main, user_data=USER_DATA) == []
    _fits(phone)
    shot(phone, "proposals-rated-en-375")
