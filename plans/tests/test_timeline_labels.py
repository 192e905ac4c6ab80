"""The item timeline names edited fields in Chinese (配合部门, 完成时限), never `support`."""

import pytest
from django.urls import reverse

from plans import services


@pytest.mark.django_db
def test_edit_on_timeline_names_fields_in_chinese(client, ufd_staff, item, student_department, org):
    from orgs.tests.factories import DepartmentFactory

    extra = DepartmentFactory(organisation=org, name="教务处")
    services.update_item(
        item,
        by=ufd_staff,
        data={"due_date": item.due_date.replace(month=11, day=30), "support_departments": [extra]},
        version=item.version,
    )
    client.force_login(ufd_staff)

    html = client.get(reverse("plans:item-detail", args=[item.pk])).content.decode()

    timeline = html.split('class="timeline"', 1)[1].split("</ol>", 1)[0]
    assert "完成时限、配合部门" in timeline
    assert "support" not in timeline
    assert "due_date" not in timeline
