"""Issue 11, holes 7 and 8 on the registry: every page that shows a record writes a view row;
person pages and unmasked exports are never cached; phones show at most 4 digits unless 11."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from people.models import mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13912345678", "139****5678"),
        ("1234567", "123****"),
        ("12345678", "123****"),
        ("0571888888", "057****8"),
        ("0571-88888888", "057****8"),
        ("12345", "****"),
        ("", ""),
    ],
)
def test_a_masked_phone_shows_at_most_four_digits_unless_eleven(phone, masked):
    assert mask_phone(phone) == masked


def test_no_mask_of_a_non_mobile_number_shows_more_than_four_digits():
    for length in range(1, 25):
        number = "9" * length
        shown = sum(ch.isdigit() for ch in mask_phone(number))
        assert shown <= (7 if length == 11 else 4), number


def _views(person):
    return AuditEvent.objects.filter(action="view", object_type="people.person", object_id=str(person.pk)).count()


@pytest.mark.django_db
def test_the_edit_page_writes_a_view_row(client, ufd_staff, person):
    client.force_login(ufd_staff)
    response = client.get(reverse("people:edit", args=[person.pk]))
    assert response.status_code == 200
    assert person.name in response.content.decode()
    assert _views(person) == 1


@pytest.mark.django_db
def test_the_new_contact_page_writes_a_view_row(client, ufd_staff, person):
    client.force_login(ufd_staff)
    response = client.get(reverse("people:contact-create", args=[person.pk]))
    assert response.status_code == 200
    assert person.name in response.content.decode()
    assert _views(person) == 1


@pytest.mark.django_db
def test_person_pages_and_unmasked_exports_are_not_cached(client, ufd_staff, person):
    client.force_login(ufd_staff)
    pages = [
        client.get(reverse("people:detail", args=[person.pk])),
        client.get(reverse("people:edit", args=[person.pk])),
        client.post(reverse("people:reveal", args=[person.pk]), {"purpose": "联系座谈会事宜"}),
        client.post(reverse("people:export"), {"unmasked": "on", "purpose": "发送会议通知"}),
        client.post(reverse("people:returned-export"), {"unmasked": "on", "purpose": "发送会议通知"}),
    ]
    for response in pages:
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
