"""The name search finds the same people on SQLite and PostgreSQL; on PostgreSQL a trigram index
backs it (people/migrations/0006_person_name_trigram.py)."""

import pytest
from django.db import connection

from people.models import Person

pytestmark = pytest.mark.django_db


def test_name_search_matches_any_part_of_the_name_case_insensitively(org):
    Person.objects.bulk_create(
        [Person(organisation=org, name=n) for n in ["王建华", "李王芳", "张三", "Anna Wang", "欧阳明"]]
    )
    found = sorted(p.name for p in Person.objects.for_org(org).search("王"))
    assert found == ["李王芳", "王建华"]
    assert [p.name for p in Person.objects.for_org(org).search("wang")] == ["Anna Wang"]
    assert [p.name for p in Person.objects.for_org(org).search("阳明")] == ["欧阳明"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_postgresql_has_the_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'people_person_name_upper_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
