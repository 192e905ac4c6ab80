"""Five ones records built directly, for tests, the access matrix and the demo."""

from datetime import date

from django.core.files.base import ContentFile

from fiveones.models import Entry

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def make_entry(person, *, slot="book", status=Entry.Status.PENDING, title="乡土中国", on=None, **fields) -> Entry:
    on = on or date.today()
    entry = Entry(
        organisation=person.organisation,
        person=person,
        year=on.year,
        slot=slot,
        title=title,
        author=fields.pop("author", "费孝通" if slot == "book" else ""),
        on=on,
        reflection=fields.pop("reflection", "读后很受启发。"),
        proof_name="proof.png",
        proof_kind="图片",
        status=status,
        **fields,
    )
    entry.proof.save("proof.png", ContentFile(PNG), save=False)
    entry.save()
    return entry
