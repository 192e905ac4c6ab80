"""The five ones ledger as rows (header first): one row per member, one column per slot saying
how it was filled."""

from fiveones.models import SLOTS
from fiveones.queries import Ledger


def ledger_rows(all_ledgers: list[Ledger]):
    yield ["序号", "姓名", "部门", *[str(slot.label) for slot in SLOTS], "完成项数"]
    for number, ledger in enumerate(all_ledgers, start=1):
        person = ledger.person
        yield [
            number,
            person.name,
            person.department.name if person.department_id else "",
            *[state.how for state in ledger.slots],
            f"{ledger.filled_count}/5",
        ]
