"""People inside households: add one, move one to another household (the id goes with them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model import Person
from gridctl.ops.fields import Path as FieldPath
from gridctl.ops.fields import coerce, dotted, resolve
from gridctl.ops.records import Change, Edit, allocate, find


def add_person(
    ledger: Ledger, household_id: str, values: list[tuple[FieldPath, str]], today: dt.date | None = None
) -> Change:
    """A person into a household's members; `today` dates an id whose format has {yyyy}/{mm}/{dd}."""
    entry = find(ledger, household_id, ["household"])
    household_id = entry.id
    _refuse_retired(entry)
    data: dict[str, Any] = {}
    for given_path, raw in values:
        path = resolve(Person, given_path)
        if path[0] == "extra" and len(path) > 1 and not any(isinstance(step, int) for step in path):
            node = data
            for step in path[:-1]:  # extra.备注, extra.单位.名称: what edit takes, a new person takes too
                node = node.setdefault(str(step), {})
            node[str(path[-1])] = coerce(Person, path, raw)
            continue
        if len(path) != 1:
            raise GridctlError(
                Text(f"人员的字段没有下一级: {dotted(path)}", f"a person's fields are flat: {dotted(path)}"),
                hint=Text(
                    "字段整个给出，如 --set 联系电话=13800138000,13912345678；其他内容放在 extra.名称",
                    "give the field whole, e.g. --set phones=13800138000,13912345678; anything else as extra.NAME",
                ),
            )
        data[str(path[0])] = coerce(Person, path, raw)
    pid = str(data.pop("id", "") or allocate(ledger, "person", when=today)[0])
    from gridctl.ledger.ids import ids_left

    if pid in ledger.by_id or pid in ids_left(ledger.root):
        from gridctl.ops.records import taken

        raise GridctlError(taken(pid))
    from ruamel.yaml.comments import CommentedMap

    doc = Edit(ledger, entry.source.file)
    household = doc.node(entry)
    if household.get("members") is None:
        from ruamel.yaml.comments import CommentedSeq

        household["members"] = CommentedSeq()
    household["members"].append(CommentedMap([("id", pid), *data.items()]))
    subject = Text(f"新增人员 {pid}：加入户 {household_id}", f"add person {pid}: → {household_id}")
    return Change(subject, {doc.rel: doc.dump()}, pid)


def move_person(ledger: Ledger, person_id: str, to_household: str, relation: str | None = None) -> Change:
    """迁户: out of one household's members, into another's, in one commit; `relation` (与户主关系) set in
    the same write, so a 户主 moving in with another head is not two heads (GC264) for a commit."""
    person = find(ledger, person_id, ["person"])
    target = find(ledger, to_household, ["household"])
    person_id, to_household = person.id, target.id
    _refuse_retired(target)
    if person.household == to_household:
        raise GridctlError(Text(f"{person_id} 已在户 {to_household}", f"{person_id} already lives in {to_household}"))
    source_doc = Edit(ledger, person.source.file)
    same_file = target.source.file == person.source.file
    target_doc = source_doc if same_file else Edit(ledger, target.source.file)
    members = source_doc.docs[person.source.doc]["members"]
    moving = members.pop(person.source.path[1])
    household = target_doc.node(target)
    if household.get("members") is None:
        from ruamel.yaml.comments import CommentedSeq

        household["members"] = CommentedSeq()
    if relation is not None:
        moving["relation"] = relation.strip()
    household["members"].append(moving)
    files = {source_doc.rel: source_doc.dump()}
    if not same_file:
        files[target_doc.rel] = target_doc.dump()
    subject = Text(
        f"迁移人员 {person_id}：户 {person.household} → 户 {to_household}",
        f"move person {person_id}: {person.household} → {to_household}",
    )
    return Change(subject, files, person_id)


def _refuse_retired(household: Any) -> None:
    """A household that moved out (注销) takes no one in: a person added or moved there was counted by
    no status or report, without a word."""
    record = household.record
    gone = getattr(record, "retired", None) if record is not None else None
    if gone is None:
        return
    from gridctl.errors import household_retired

    message, hint = household_retired(household.id, gone)
    raise GridctlError(message, hint=hint)
