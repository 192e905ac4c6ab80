"""The events module's rows of the access matrix (dashboard/tests/test_access_matrix.py)."""

from django.core.files.base import ContentFile

from orgs.models import Role

STAFF = {Role.UFD_STAFF}
MEMBER = {Role.MEMBER}
LEADER = {Role.LEADER}

EVENTS_MATRIX = {
    # Leaders read the list and an event's page (no buttons, QR code, exports or public link).
    "events:list": (STAFF | LEADER, "get"),
    "events:create": (STAFF, "get"),
    "events:detail": (STAFF | LEADER, "get"),
    "events:edit": (STAFF, "get"),
    "events:delete": (STAFF, "post"),
    "events:publish": (STAFF, "post"),
    "events:invite": (STAFF, "post"),
    "events:cancel": (STAFF, "post"),
    "events:attendance": (STAFF, "get"),
    "events:external-remove": (STAFF, "post"),
    "events:checkin-toggle": (STAFF, "post"),
    "events:report": (STAFF, "get"),
    "events:photo-add": (STAFF, "post"),
    "events:photo": (STAFF, "get"),
    "events:photo-delete": (STAFF, "post"),
    "events:feedback-add": (STAFF, "post"),
    "events:feedback-delete": (STAFF, "post"),
    "events:mark-held": (STAFF, "post"),
    "events:unmark-held": (STAFF, "post"),
    "events:qr": (STAFF, "get"),
    "events:poster": (STAFF, "get"),
    "events:signin-xlsx": (STAFF, "get"),
    "events:signin-docx": (STAFF, "get"),
    "events:attendance-xlsx": (STAFF, "get"),
    # Staff, and members invited to the event.
    "events:ics": (STAFF | MEMBER, "get"),
    "events:m-list": (MEMBER, "get"),
    "events:m-mine": (MEMBER, "get"),
    "events:m-feed-reset": (MEMBER, "post"),
    "events:m-detail": (MEMBER, "get"),
    "events:m-register": (MEMBER, "post"),
    "events:m-cancel": (MEMBER, "post"),
    "events:m-decline": (MEMBER, "post"),
    # The QR landing page: GET shows the state, only POST checks in.
    "events:m-checkin": (MEMBER, "get"),
    # Secret links: the public sign-up page and a member's calendar feed need no login.
    "events:public-signup": ("public", "get"),
    "events:feed": ("public", "get"),
}

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def events_url_kwargs(org, personas):
    """A published event of `org` with the member invited and registered, a photo, a feedback line."""
    from events import services
    from events.models import EventFeedback, EventPhoto, ExternalRegistration, Invitation, Registration
    from events.tests.factories import EventFactory

    person = personas[Role.MEMBER].person
    event = EventFactory(organisation=org, public_signup=True)
    Invitation.objects.create(event=event, person=person)
    registration = Registration.objects.create(event=event, person=person, status=Registration.Status.REGISTERED)
    photo = EventPhoto.objects.create(event=event, image=ContentFile(PNG, name="photo.png"))
    feedback = EventFeedback.objects.create(event=event, text="建议")
    external = ExternalRegistration.objects.create(event=event, name="校外嘉宾", unit="兄弟院校")
    feed = services.calendar_feed_for(person)
    pk = {"pk": event.pk}
    by_pk = {
        name: pk
        for name in EVENTS_MATRIX
        if name not in {"events:list", "events:create", "events:m-list", "events:m-mine", "events:m-feed-reset"}
    }
    return by_pk | {
        "events:checkin-toggle": pk | {"registration": registration.pk},
        "events:photo": pk | {"photo": photo.pk},
        "events:photo-delete": pk | {"photo": photo.pk},
        "events:feedback-delete": pk | {"feedback": feedback.pk},
        "events:external-remove": pk | {"external": external.pk},
        "events:m-checkin": pk | {"token": event.checkin_token},
        "events:public-signup": {"token": event.public_token},
        "events:feed": {"token": feed.token},
    }
