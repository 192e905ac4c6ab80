"""The five ones' rows of the access matrix (dashboard/tests/test_access_matrix.py)."""

from orgs.models import Role

STAFF = {Role.UFD_STAFF}
MEMBER = {Role.MEMBER}

FIVEONES_MATRIX = {
    "fiveones:card": (MEMBER, "get"),
    "fiveones:report": (MEMBER, "get"),
    "fiveones:entry-delete": (MEMBER, "post"),
    # The proof: the member whose entry it is, and UFD staff.
    "fiveones:proof": (STAFF | MEMBER, "get"),
    "fiveones:overview": (STAFF | {Role.LEADER}, "get"),
    "fiveones:ledger": (STAFF | {Role.LEADER}, "get"),
    "fiveones:queue": (STAFF, "get"),
    "fiveones:verify": (STAFF, "post"),
    "fiveones:reject": (STAFF, "post"),
    "fiveones:export": (STAFF, "get"),
    "fiveones:target-link": (STAFF, "post"),
    "fiveones:target-unlink": (STAFF, "post"),
}


def fiveones_url_kwargs(org, personas):
    """A pending entry of the member and a target link of `org`."""
    from fiveones.models import TargetLink
    from fiveones.tests.factories import make_entry
    from plans.tests.factories import TargetFactory

    entry = make_entry(personas[Role.MEMBER].person)
    link = TargetLink.objects.create(
        organisation=org, year=entry.year, target=TargetFactory(item__section__plan__organisation=org)
    )
    pk = {"pk": entry.pk}
    return {
        "fiveones:report": {"slot": "book"},
        "fiveones:entry-delete": pk,
        "fiveones:proof": pk,
        "fiveones:verify": pk,
        "fiveones:reject": pk,
        "fiveones:target-unlink": {"pk": link.pk},
    }
