"""Stories: sanitised text, review by a second person, consent, plan counts, public pages."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user
from core.models import AuditEvent
from notifications.models import Notification
from orgs.models import Role
from people.models import PublicityConsent
from people.tests.factories import PersonFactory
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory, TargetFactory
from publicity import services
from publicity.models import Story, StoryPhoto
from publicity.tests.matrix import PNG


@pytest.fixture
def ufd2(org, ufd_department):
    return make_user(org, Role.UFD_STAFF, "ufd2")


@pytest.fixture
def featured(org):
    person = PersonFactory(organisation=org, name="陈思源", phone="13900001111", email="chen@example.edu.cn")
    PublicityConsent.objects.create(person=person, given_at=date(2026, 3, 1))
    return person


def story_data(**extra):
    return {"title": "陈思源：扎根讲台的党外专家", "kind": Story.Kind.PROFILE, "body": "第一段\n\n第二段", **extra}


def in_review(org, author, people=(), **extra):
    story = services.create_story(org, by=author, data=story_data(people=list(people), **extra))
    return services.submit_story(story, by=author)


# --- Rich text --------------------------------------------------------------------------------


def test_plain_text_becomes_paragraphs():
    assert services.sanitise("第一段\n第一段续\n\n第二段 <3") == "<p>第一段<br>第一段续</p><p>第二段 &lt;3</p>"


def test_rich_text_keeps_simple_tags_and_drops_scripts_images_and_styles():
    dirty = (
        '<p style="color:red" onclick="x()">好<strong>文</strong><script>alert(1)</script></p>'
        '<img src="https://evil.example/track.png"><a href="javascript:alert(1)">坏链接</a>'
        '<a href="https://www.gov.cn/">政府网</a><iframe src="https://x"></iframe>'
    )
    assert services.sanitise(dirty) == (
        '<p>好<strong>文</strong></p><a rel="noopener noreferrer">坏链接</a>'
        '<a href="https://www.gov.cn/" rel="noopener noreferrer">政府网</a>'
    )


def test_text_with_inline_tags_only_still_gets_paragraphs():
    assert services.sanitise("<strong>第一段</strong>\n\n第二段<script>x</script>") == (
        "<p><strong>第一段</strong></p><p>第二段</p>"
    )


# --- Review -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_author_cannot_approve_their_own_story(org, ufd_staff):
    story = in_review(org, ufd_staff)
    with pytest.raises(services.NotAllowed, match="作者以外"):
        services.approve_story(story, by=ufd_staff, role=Role.UFD_STAFF)
    assert Story.objects.get().status == Story.Status.REVIEW


@pytest.mark.django_db
@pytest.mark.parametrize("reviewer_role", [Role.UFD_STAFF, Role.LEADER])
def test_a_second_ufd_user_or_a_leader_publishes(org, ufd_staff, ufd2, leader, reviewer_role):
    reviewer = ufd2 if reviewer_role == Role.UFD_STAFF else leader
    story = in_review(org, ufd_staff)
    assert Notification.objects.filter(user=reviewer, title__startswith="宣传报道待审核").exists()
    story = services.approve_story(story, by=reviewer, role=reviewer_role, note="同意")
    assert (story.status, story.reviewed_by) == (Story.Status.PUBLISHED, reviewer)
    assert story.published_at is not None
    assert Notification.objects.filter(user=ufd_staff, title="报道已发布：陈思源：扎根讲台的党外专家").exists()


@pytest.mark.django_db
def test_returned_story_goes_back_to_draft_with_the_note(client, org, ufd_staff, leader):
    story = in_review(org, ufd_staff)
    client.force_login(leader)
    client.post(reverse("publicity:return", args=[story.pk]), {"note": "请补充照片"})
    story.refresh_from_db()
    assert (story.status, story.review_note) == (Story.Status.DRAFT, "请补充照片")


@pytest.mark.django_db
def test_a_story_with_a_person_without_consent_cannot_be_published(client, org, ufd_staff, ufd2):
    person = PersonFactory(organisation=org, name="刘立新")
    story = in_review(org, ufd_staff, people=[person])
    client.force_login(ufd2)
    response = client.post(reverse("publicity:approve", args=[story.pk]), follow=True)
    assert "以下人物未登记宣传同意或已撤回同意，不能发布：刘立新" in response.content.decode()
    assert Story.objects.get().status == Story.Status.REVIEW

    PublicityConsent.objects.create(person=person, given_at=date(2026, 4, 1))
    client.post(reverse("publicity:approve", args=[story.pk]))
    assert Story.objects.get().status == Story.Status.PUBLISHED


@pytest.mark.django_db
def test_withdrawing_consent_unpublishes_and_tells_ufd(client, org, ufd_staff, ufd2, featured):
    published = services.approve_story(in_review(org, ufd_staff, people=[featured]), by=ufd2, role=Role.UFD_STAFF)
    waiting = in_review(org, ufd_staff, people=[featured], title="第二篇")
    other = services.approve_story(in_review(org, ufd_staff, title="无关人物"), by=ufd2, role=Role.UFD_STAFF)
    consent = featured.consents.get()

    client.force_login(ufd2)
    client.post(reverse("people:record-remove", args=[featured.pk, "consent", consent.pk]))

    statuses = dict(Story.objects.values_list("pk", "status"))
    assert statuses == {published.pk: "unpublished", waiting.pk: "draft", other.pk: "published"}
    published.refresh_from_db()
    assert published.unpublish_reason == "陈思源 撤回宣传同意"
    note = Notification.objects.get(user=ufd_staff, title__contains="撤回宣传同意")
    assert note.title == "陈思源 已撤回宣传同意，2 篇报道已撤下或退回"
    assert Notification.objects.filter(user=ufd2, title=note.title).exists()
    # The withdrawal itself and each story's status change are audited.
    assert AuditEvent.objects.filter(object_type="people.person", object_id=str(featured.pk), action="update").exists()
    story_changes = AuditEvent.objects.filter(object_type="publicity.story").order_by("id")
    withdrawn = [
        (e.object_id, e.changes["status"])
        for e in story_changes
        if e.changes.get("note") == ["", "陈思源 撤回宣传同意"]
    ]
    assert withdrawn == [(str(published.pk), ["已发布", "已撤下"]), (str(waiting.pk), ["待审核", "草稿"])]
    assert client.get(reverse("publicity:public-detail", args=[org.slug, published.pk])).status_code == 404


@pytest.mark.django_db
def test_withdrawing_one_of_two_consents_keeps_the_story(client, org, ufd_staff, ufd2, featured):
    PublicityConsent.objects.create(person=featured, given_at=date(2026, 5, 1))
    story = services.approve_story(in_review(org, ufd_staff, people=[featured]), by=ufd2, role=Role.UFD_STAFF)
    client.force_login(ufd2)
    client.post(reverse("people:record-remove", args=[featured.pk, "consent", featured.consents.first().pk]))
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED


@pytest.mark.django_db
def test_public_page_hides_a_story_whose_consent_vanished_outside_the_service(client, org, ufd_staff, ufd2, featured):
    story = services.approve_story(in_review(org, ufd_staff, people=[featured]), by=ufd2, role=Role.UFD_STAFF)
    PublicityConsent.objects.filter(person=featured).update(withdrawn_at=date(2026, 6, 1))  # bypasses the hook
    assert client.get(reverse("publicity:public-detail", args=[org.slug, story.pk])).status_code == 404
    assert "扎根讲台" not in client.get(reverse("publicity:public-list", args=[org.slug])).content.decode()


# --- Plan targets -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_counts_towards_the_item_target_and_unpublishing_withdraws(org, ufd_staff, ufd2):
    plan = PlanFactory(organisation=org)
    item = ItemFactory(section=SectionFactory(plan=plan), plan=plan, number=9, title="强化宣传教育")
    target = TargetFactory(item=item, text="推出专题报道2篇", count=2)

    first = services.approve_story(in_review(org, ufd_staff, item=item), by=ufd2, role=Role.UFD_STAFF)
    services.approve_story(in_review(org, ufd_staff, item=item, title="第二篇"), by=ufd2, role=Role.UFD_STAFF)
    target.refresh_from_db()
    item.refresh_from_db()
    assert (target.achieved, item.progress) == (2, 100)

    services.unpublish_story(first, by=ufd_staff, reason="内容需更新")
    target.refresh_from_db()
    item.refresh_from_db()
    assert (target.achieved, item.progress) == (1, 50)


# --- Editing, photos --------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_write_a_story_with_a_photo(client, org, ufd_staff, featured, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(ufd_staff)
    response = client.post(
        reverse("publicity:create"),
        {
            "title": "陈思源：扎根讲台",
            "kind": "profile",
            "body": "<p>正文<img src=https://x/y.png></p>",
            "people": [featured.pk],
        },
    )
    story = Story.objects.get()
    assert response.url == reverse("publicity:detail", args=[story.pk])
    assert (story.body, story.author, list(story.people.all())) == ("<p>正文</p>", ufd_staff, [featured])

    fake = SimpleUploadedFile("photo.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = client.post(reverse("publicity:photo-add", args=[story.pk]), {"image": fake}, follow=True)
    assert "内容不是允许的类型（图片）" in response.content.decode()
    png = SimpleUploadedFile("讲台.png", PNG, content_type="image/png")
    client.post(reverse("publicity:photo-add", args=[story.pk]), {"image": png, "caption": "课堂"})
    photo = StoryPhoto.objects.get()
    assert photo.caption == "课堂"
    assert b"".join(client.get(reverse("publicity:photo", args=[story.pk, photo.pk])).streaming_content) == PNG
    # Not published: the public address of the photo does not exist.
    client.logout()
    assert client.get(reverse("publicity:public-photo", args=[org.slug, story.pk, photo.pk])).status_code == 404


@pytest.mark.django_db
def test_a_concurrent_edit_is_refused_with_409(client, org, ufd_staff):
    story = services.create_story(org, by=ufd_staff, data=story_data())
    client.force_login(ufd_staff)
    data = story_data(version=story.version)
    client.post(reverse("publicity:edit", args=[story.pk]), data | {"title": "甲的修改"})
    response = client.post(reverse("publicity:edit", args=[story.pk]), data | {"title": "乙的修改"})
    assert response.status_code == 409
    assert Story.objects.get().title == "甲的修改"


@pytest.mark.django_db
def test_published_story_cannot_be_edited(client, org, ufd_staff, ufd2):
    story = services.approve_story(in_review(org, ufd_staff), by=ufd2, role=Role.UFD_STAFF)
    client.force_login(ufd_staff)
    client.post(reverse("publicity:edit", args=[story.pk]), story_data(title="改", version=story.version))
    assert Story.objects.get().title == "陈思源：扎根讲台的党外专家"


# --- Public pages and lists -------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_show_only_published_stories_without_personal_data(
    client, org, other_org, ufd_staff, ufd2, featured
):
    services.create_story(org, by=ufd_staff, data=story_data(title="还在草稿"))
    story = services.approve_story(in_review(org, ufd_staff, people=[featured]), by=ufd2, role=Role.UFD_STAFF)
    Story.objects.create(organisation=other_org, title="别的学校", body="x", status="published")

    listing = client.get(reverse("publicity:public-list", args=[org.slug])).content.decode()
    assert "陈思源：扎根讲台的党外专家" in listing
    assert "还在草稿" not in listing and "别的学校" not in listing
    page = client.get(reverse("publicity:public-detail", args=[org.slug, story.pk])).content.decode()
    assert "报道人物：陈思源" in page
    assert "13900001111" not in page and "chen@example.edu.cn" not in page and "139****1111" not in page
    assert 'media="print"' in page
    assert client.get(reverse("publicity:public-detail", args=[other_org.slug, story.pk])).status_code == 404


@pytest.mark.django_db
def test_public_list_queries_are_bounded(client, org, ufd_staff, django_assert_max_num_queries):
    def listing():
        with django_assert_max_num_queries(4):
            response = client.get(reverse("publicity:public-list", args=[org.slug]))
        assert response.status_code == 200
        return response.content.decode()

    Story.objects.create(organisation=org, title="第0篇", body="x", status="published")
    assert "第0篇" in listing()
    for i in range(1, 25):
        Story.objects.create(organisation=org, title=f"第{i}篇", body="x", status="published")
    assert "共 25 条" in listing()


@pytest.mark.django_db
def test_staff_list_queries_are_bounded(client, org, ufd_staff, featured, django_assert_max_num_queries):
    client.force_login(ufd_staff)

    def listing():
        with django_assert_max_num_queries(12):
            response = client.get(reverse("publicity:list"))
        assert response.status_code == 200
        return response.content.decode()

    services.create_story(org, by=ufd_staff, data=story_data(people=[featured]))
    assert "陈思源" in listing()
    for i in range(40):
        services.create_story(org, by=ufd_staff, data=story_data(title=f"动态{i}", people=[featured]))
    assert "共 41 条" in listing()
