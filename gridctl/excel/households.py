"""A household register (户籍/居住登记表): one row per person; rows of one household become one 户.

Rows are grouped into households by gridctl.excel.grouping. A row matches a known person by
人员编号, or by ID number when the name agrees too (another name is an identity conflict, never
an update, unless the export's base shows the ledger renamed them since); within a household, by
name. A known person at another address is settled by gridctl.excel.placement. Every field a row
would change is weighed against history (gridctl.excel.merge). A blank cell never clears a value:
an import adds and corrects, it does not delete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gridctl.checks import people as people_checks
from gridctl.checks.names import lost, lost_at
from gridctl.excel.derived import from_id_number
from gridctl.excel.edit import FileEdits, file_order, put
from gridctl.excel.findings import LEDGER, OPEN, REGISTER, FieldChange, Finding
from gridctl.excel.grouping import ADDRESS, Item, Known, address_key, group_rows, targets
from gridctl.excel.kept import blank_cells, blanks
from gridctl.excel.masked import Exported, unmask, unmask_words
from gridctl.excel.members import PERSON_ORDER, apply_update, member_node, members_of, person_doc, plain
from gridctl.excel.merge import CONFLICT, HOUSEHOLD, KEPT, PREFER, Choices, Merge, merge_fields
from gridctl.excel.placement import household_address, household_label, place
from gridctl.excel.plan import NO_GRID, Grids, Plan, grid_column, norm_key, row_grid
from gridctl.excel.rows import (
    PERSON,
    Issue,
    Layout,
    ParsedRow,
    check_issues,
    get_path,
    model_issues,
    required_cleared,
    set_dotted,
)
from gridctl.excel.values import text
from gridctl.excel.written import contradicted
from gridctl.ledger.ids import next_id, unseen_ids, worker_slot
from gridctl.ledger.index import Entry, Ledger, Source
from gridctl.ledger.layout import path_for
from gridctl.ledger.yamlfile import plain as yaml_plain
from gridctl.model import Household, Person
from gridctl.model.aliases import read_words, vocab_fields
from gridctl.model.masking import mask_text

HOUSEHOLD_KEYS = ("grid", *ADDRESS, "address.text", "housing", "household_tags")
PERSON_KEYS = tuple(k for k in PERSON_ORDER if k not in ("id", "retired", "extra"))
KEPT_BLANK = ("household_id", "person_id", "grid", "grid_name", *HOUSEHOLD_KEYS)
"""Columns whose blank cell is not a person's value kept (the household's own, and the importer's keys)."""
HOUSEHOLD_ORDER = file_order(Household)
MAINLAND_ID = people_checks.MAINLAND_ID
PERSON_WORDS = vocab_fields(Person)
HOUSE_WORDS = {"housing": "housing_types", "household_tags": "care_groups"}


def _field(key: str) -> str:
    return "tags" if key == "household_tags" else key


@dataclass
class Placed:
    """A row's person as it will be: the record and what the row changes in it."""

    item: Item
    person: Person
    household: str | None
    fields: set[str]
    """The fields the row sets (all of them for a new person): what checks may blame it for."""


class HouseholdImport:
    def __init__(
        self,
        ledger: Ledger,
        lay: Layout,
        default_grid: str | None,
        history: set[str],
        merge: Merge,
        choices: Choices,
        today: dt.date,
    ) -> None:
        self.ledger, self.lay, self.default_grid = ledger, lay, default_grid
        self.merge, self.choices = merge, choices
        self.today = today
        """The ledger's day (its clock), for id formats with a date in them."""
        self._id_slot: int | None = None
        self.context = ledger.settings.vocabulary_context()
        self.grids = Grids(ledger, merge.base)
        self.households: dict[str, tuple[Household, Source]] = {h.id: (h, s) for h, s in ledger.records(Household)}
        self.people: dict[str, tuple[Person, str]] = {}
        self.numbers: dict[str, tuple[Person, str]] = {}
        for person, hid, _src in ledger.people():
            self.people[person.id] = (person, hid)
            if person.id_number:
                self.numbers.setdefault(person.id_number.upper(), (person, hid))
        self.lost_held = {norm_key(p.name) for p, _hid in self.people.values() if lost(p.name)}
        """Names in the ledger with a lost character already: a row that repeats one is not refused for it."""
        self.known = Known.of({hid: hh for hid, (hh, _src) in self.households.items()})
        self.history = history

    # -- columns -------------------------------------------------------------------------------

    def person_column(self, path: tuple[Any, ...]) -> str | None:
        return self.lay.column_of(path[:1] if path and path[0] != "extra" else path)

    def household_column(self, path: tuple[Any, ...]) -> str | None:
        if path[:1] == ("tags",):
            return self.lay.header("household_tags")
        return self.lay.column_of(path)

    def _named(self, key: str) -> str | None:
        """The column a field key came from, as the clerk's sheet names it."""
        if key == "household_tags":
            return self.lay.header(key) or "家庭类别"
        return self.lay.column_of(tuple(key.split(".")))

    # -- the plan ------------------------------------------------------------------------------

    def plan(self, rows: list[ParsedRow], excluded: set[int]) -> Plan:
        """What importing `rows` would do; rows in `excluded` were rejected by an earlier pass."""
        plan = Plan()
        self.taken = set(self.ledger.by_id) | self.history | unseen_ids(self.ledger)
        self.rows_of: dict[str, int] = {}
        self.filled: set[int] = set()
        items = [self._item(row, plan, row.number in excluded) for row in rows]
        place(self, items, plan)
        groups = group_rows(items, self.lay, plan, excluded)
        households = targets(groups, self.known, self.lay, plan)
        edits = FileEdits(self.ledger.root)
        placed: list[Placed] = []
        new: list[tuple[dict[str, tuple[Any, int]], list[Item]]] = []
        for hid, members in households:
            house = self._house_values(members, plan)
            if hid is None:
                new.append((house, members))
            else:
                placed.extend(self._existing(hid, house, members, edits, plan))
        for house, members in new:
            placed.extend(self._validate_new(house, members, plan))
        self._check_people(placed, plan)
        self._add_new(new, edits, plan)
        self._origins(edits, plan)
        plan.filled = len(self.filled - {i.row for i in plan.issues})
        plan.edits = edits
        return plan

    def _item(self, row: ParsedRow, plan: Plan, excluded: bool) -> Item:
        issues = list(row.issues)
        house = {k: row.values[k] for k in HOUSEHOLD_KEYS[1:] if k in row.values}
        person = {k: row.values[k] for k in PERSON_KEYS if k in row.values}
        read_words(person, PERSON_WORDS, self.context)
        read_words(house, HOUSE_WORDS, self.context)
        cleared = [
            k for k in HOUSEHOLD_KEYS[1:] if k in row.cleared
        ]  # （清空）: the clerk clears the household's value
        house.update({k: [] if k == "household_tags" else None for k in cleared})
        issues += [Issue(row.number, self.lay.header(k), *REQUIRED) for k in ("grid", "grid_name") if k in row.cleared]
        issues += required_cleared(row, Person, self.lay)
        item = Item(row, house, person)
        pid = row.values.get("person_id")
        if pid is not None:
            found = self.people.get(str(pid))
            if found is None:
                issues.append(_unknown(row.number, self.lay.header("person_id"), "人员编号", str(pid)))
            else:
                item.match, item.anchor = found
        issues.extend(unmask(item, self.lay, self._exported(item)))
        issues.extend(self._lost(item))
        item.derived = from_id_number(person, self.ledger.settings)
        number = person.get("id_number")
        if number and item.match is None and number in self.numbers:
            item.match, item.anchor = self.numbers[number]
        hid = row.values.get("household_id")
        grid = self._grid(item, str(hid) if hid is not None else None, issues)
        if hid is not None:
            hid = str(hid)
            if hid not in self.households:
                issues.append(_unknown(row.number, self.lay.header("household_id"), "户编号", hid))
            elif item.anchor is not None and item.anchor != hid:
                moved = self._moved_since(item, hid, plan)
                if moved is not None:
                    issues.append(moved)
                else:
                    hid = item.anchor
            item.anchor, item.pinned = hid, True
        known = self.households.get(item.anchor) if item.anchor is not None else None
        house_then = self._exported_house(item.anchor) if known is not None else None
        tags = known[0].tags if known is not None else None
        issues.extend(unmask_words(item, self.lay, tags, self._exported(item), house_then))
        # A new household's 现住址 is not read against its parts: an old register's free-text address
        # (东村12号, 某某路12号) often names no 小区 or 楼栋, and refusing it would refuse the register.
        if known is not None and item.house:
            issues.extend(self._written(item, known[0]))
        if excluded:
            item.bad = True
        else:
            back = self._returned(item, item.match) if item.match is not None else None
            if back is not None:
                issues.append(back)
            if issues:  # the row is out already: still say everything else that is wrong with it
                issues += self._content(item, grid)
            plan.issues.extend(issues)
            item.bad = bool(issues)
            if not item.bad:
                self._identity(item, plan)
        return item

    def _lost(self, item: Item) -> list[Issue]:
        """A name the row brings with a character lost on the way (GC119: 吉? from a GBK CSV): refused at
        its cell at once, before it is read as a rename or another person, so the clerk fixes the cause."""
        name, match = item.person.get("name"), item.match
        if not lost(name):
            return []
        if norm_key(name) == norm_key(match.name if match is not None else "") or norm_key(name) in self.lost_held:
            return []  # the ledger's own name, as it is: not the row's doing
        return [Issue(item.row.number, self.lay.header("name"), problem=lost_at(str(item.row.number), ("name",), name))]

    def _exported(self, item: Item) -> Exported | None:
        """The row's person's fields as its export showed them (a sheet with a stamp, or --base)."""
        match = item.match
        if self.merge.base is None or match is None:
            return None
        return lambda key: self.merge.at_base(match.id, key)

    def _exported_house(self, hid: str | None) -> Exported | None:
        """The household's fields as its export showed them (a sheet with a stamp, or --base)."""
        if self.merge.base is None or hid is None:
            return None
        return lambda key: self.merge.at_base(hid, key)

    def _grid(self, item: Item, hid: str | None, issues: list[Issue]) -> str | None:
        """The row's grid, its 所属网格 and 网格名称 read against the grid of the household it is now
        (its person's, else its 户编号's): the cell the clerk edited is the move."""
        row = item.row
        here = self.households.get(item.anchor or hid or "")
        current = here[0].grid if here is not None else None
        grid, issue = row_grid(row.values, self.lay, self.grids, self.default_grid, row.number, row.extra, current)
        if issue:
            issues.append(issue)
        if grid:
            item.house["grid"] = grid
        item.key = address_key(grid, item.house)
        return grid

    def _written(self, item: Item, hh: Household) -> list[Issue]:
        """A 现住址 edited against the row's address parts, or a part against the text: refused, never
        one of them written over the other (gridctl.excel.written)."""
        row = item.row
        parts = contradicted(item.house, row.cleared, household_address(hh))
        if not parts:
            return []
        written = row.values.get("address.text") or getattr(hh.address, "text", None)
        written = mask_text(str(written))  # a phone typed into an address is no more shown here than in the export
        headers = [self._named(k) or k for k in ("address.text", *parts)]
        said = [(self._named(k) or k, row.values.get(k, get_path(hh, k))) for k in parts]
        zh = "、".join(f"{h}“{v}”" for h, v in said)
        en = ", ".join(f"{h} {v}" for h, v in said)
        return [Issue(row.number, "、".join(headers), f"{headers[0]}“{written}”与{zh}不符；请把两处改成同一地址",
                      f"{headers[0]} {written} does not agree with {en}; make them say one address")]  # fmt: skip

    def _moved_since(self, item: Item, hid: str, plan: Plan) -> Issue | None:
        """A row whose 户编号 is not the household its person is in now. Read against the export's base:
        the household the person was in then means the ledger moved them since (gridctl move), and they
        stay where they are, silently; a 户编号 the sheet changed too is a conflict. Otherwise (no base,
        or only the sheet changed it) import does not move people by 户编号: the row is refused."""
        assert item.match is not None and item.anchor is not None
        person, now = item.match, item.anchor
        column = self.lay.header("household_id")
        refused = Issue(item.row.number, column, *_moved(now))
        if self.merge.base is None:
            return refused
        verdict = self.merge.field(person.id, HOUSEHOLD, hid, now)
        if person.id in self.merge.loaded and verdict.what == CONFLICT:
            settled = {"ledger": LEDGER, "register": REGISTER}.get(self.choices.prefer or "", OPEN)
            if settled == REGISTER:
                return refused
            finding = Finding("conflicts", item.row.number, person.id, person.name, "household", settled=settled,
                              needs=PREFER)  # fmt: skip
            then = household_label(self, verdict.base) if verdict.base else None
            change = FieldChange(HOUSEHOLD, column or "户编号", household_label(self, now), household_label(self, hid),
                                 then, verdict.since)  # fmt: skip
            finding.changes.append(change)
            plan.findings.append(finding)
        elif person.id in self.merge.loaded and verdict.what != KEPT:
            return refused
        item.house, item.key = {}, None  # the row's address is the household they left: it moves no one
        return None

    def _returned(self, item: Item, person: Person) -> Issue | None:
        """A row listing someone retired (注销/迁出): back, or a stale sheet? Never "unchanged", never guessed.
        Only an export made before the retirement lists them as it was, and the ledger's retirement stands."""
        if person.retired is None:
            return None
        if self.merge.base is not None:
            verdict = self.merge.field(person.id, "retired", None, person.retired)
            if person.id not in self.merge.loaded or verdict.what == KEPT:
                return None
        column = self.lay.header("person_id") if item.row.values.get("person_id") is not None else None
        return Issue(item.row.number, column or self.lay.header("name"), *_came_back(person))

    def _household_returned(self, hh: Household) -> bool:
        """Its members listed again in a household retired as a whole: back, or a stale sheet? As for a
        person (_returned): only an export made before the retirement lists them so, and it stands."""
        if hh.retired is None:
            return False
        if self.merge.base is not None:
            verdict = self.merge.field(hh.id, "retired", None, hh.retired)
            return hh.id in self.merge.loaded and verdict.what != KEPT
        return True

    def _content(self, item: Item, grid: str | None) -> list[Issue]:
        """Every finding about the row's own values (schema and ID-number/phone checks), whatever else is wrong."""
        row = item.row.number
        data: dict[str, Any] = {"kind": "household", "id": "H0", "grid": grid or "G", "members": []}
        for key, value in item.house.items():
            set_dotted(data, _field(key), value)
        _hh, issues = model_issues(Household, data, self.context, self.household_column, row)
        plan = Plan()
        person = self._validated(person_doc("P0", item), item, plan) if item.person.get("name") else None
        if person is not None:
            self._check_people([Placed(item, person, None, set(PERSON_ORDER))], plan)
        return issues + plan.issues

    def _identity(self, item: Item, plan: Plan) -> None:
        """Another name on a known person's row: the same person renamed, or someone else (never guessed)."""
        person, name = item.match, item.person.get("name")
        if person is None or name is None or norm_key(name) == norm_key(person.name) or self.choices.renames:
            return
        if self.merge.base is not None:  # the export's name, corrected in the ledger since, is no rename
            verdict = self.merge.field(person.id, "name", name, person.name)
            if person.id not in self.merge.loaded or verdict.what == KEPT:
                return  # (a pass without the history is planned again once it is read)
            if verdict.what == CONFLICT and self.choices.prefer != "register":
                return  # both renamed them: a conflict of the field, named with both names and settled by --prefer
        settled = LEDGER if self.choices.prefer == "ledger" else OPEN
        finding = Finding("conflicts", item.row.number, person.id, name, "identity", settled=settled,
                          needs="--accept-renames")  # fmt: skip
        number = item.person.get("id_number") or person.id_number
        finding.changes += [
            FieldChange("name", self._named("name") or "姓名", person.name, name),
            FieldChange("id_number", self._named("id_number") or "公民身份号码", number, number),
        ]
        plan.findings.append(finding)
        item.skip = True

    def _house_values(self, members: list[Item], plan: Plan) -> dict[str, tuple[Any, int]]:
        """Household fields from its rows (户主 first): the first value wins, a different one is a finding."""
        members.sort(key=lambda i: (not i.head, i.row.number))
        out: dict[str, tuple[Any, int]] = {}
        for item in members:
            for key, value in item.house.items():
                if key not in out:
                    out[key] = (value, item.row.number)
                elif norm_key(out[key][0]) != norm_key(value):
                    column = self.household_column(tuple(_field(key).split(".")))
                    first = out[key][1]
                    zh, en = f"与同户第 {first} 行不一致", f"differs from row {first} of the same household"
                    plan.issues.append(Issue(item.row.number, column, zh, en))
        return out

    # -- existing households -------------------------------------------------------------------

    def _existing(
        self, hid: str, house: dict[str, tuple[Any, int]], members: list[Item], edits: FileEdits, plan: Plan
    ) -> list[Placed]:
        hh, src = self.households[hid]
        matched, fresh, bare = self._members(hh, members, plan)
        if hh.retired is not None and self._retired_refuses(hh, matched, fresh, bare, plan):
            return []
        changed = self._household_changes(hh, house, members[0].row.number, plan)
        for item in members:
            plan.blanks += self._house_blanks(item, hh)
        data = hh.model_dump(exclude={"members"}) | {"members": []}
        for key, value in changed.items():
            set_dotted(data, _field(key), value)
        if not self._household_valid(data, house, members[0].row.number, plan):
            return []
        updates = [(item, person, self._person_changes(item, person, plan)) for item, person in matched]
        arriving = [item for item, _p, _u in updates if item.moved_from is not None]
        placed: list[Placed] = []
        if not changed and not fresh and not arriving and not any(u for _i, _p, u in updates):
            plan.unchanged += len(updates) + len(bare)
            return placed
        if self.merge.pending:
            return placed  # made again once the history is read: opening the file now is wasted work
        doc = edits.doc(src.file, src.doc)
        for key, value in changed.items():
            put(doc, _field(key), plain(value) if value != [] else None, HOUSEHOLD_ORDER)  # tags cleared: the key goes
        if "grid" in changed:
            edits.move(src.file, path_for("household", {"id": hid, "grid": changed["grid"]}), src.doc)
        self.rows_of[hid] = members[0].row.number
        counted = False
        for item, person, update in updates:
            self.rows_of[person.id] = item.row.number
            if update or item.moved_from or (changed and not counted):
                plan.updated += 1
                counted = True
            else:
                plan.unchanged += 1
            if item.moved_from is not None:
                node = self._take(item.moved_from, person.id, edits)
                members_of(doc).append(node)
            elif not update:
                continue
            else:
                node = member_node(doc, person.id)
            after = self._validated(person.model_dump() | update, item, plan)
            if after is not None and update:
                placed.append(Placed(item, after, hid, set(update)))
            self._filled(item, update)
            apply_update(node, update)
        for _item in bare:
            plan.updated += 1 if changed and not counted else 0
            plan.unchanged += 0 if changed and not counted else 1
            counted = counted or bool(changed)
        for item, pid in zip(fresh, self._person_ids(len(fresh)), strict=True):
            record = person_doc(pid, item)
            person = self._validated(record, item, plan)
            if person is not None:
                placed.append(Placed(item, person, hid, set(PERSON_ORDER)))
            members_of(doc).append(record)
            self._filled(item, record)
            self.rows_of[pid] = item.row.number
            plan.added_people += 1
            finding = Finding("added", item.row.number, pid, str(item.person.get("name", "")), "new")
            finding.changes.append(FieldChange(HOUSEHOLD, "户", None, household_label(self, hid)))
            plan.findings.append(finding)
        return placed

    def _members(
        self, hh: Household, members: list[Item], plan: Plan
    ) -> tuple[list[tuple[Item, Person]], list[Item], list[Item]]:
        """The household's rows: (row, person) for the people it knows, the new people, the rows without one.
        A row naming someone retired (注销) is refused here, not matched."""
        used: set[str] = set()
        matched: list[tuple[Item, Person]] = []
        fresh: list[Item] = []
        bare = [item for item in members if item.nobody]
        for item in members:
            if item.nobody:
                continue
            person = item.match or self._by_name(hh, item, used)
            if person is None:
                fresh.append(item)
            else:
                used.add(person.id)
                matched.append((item, person))
        for item, person in list(matched):  # matched here by name: a row with no ID number
            back = self._returned(item, person)
            if back is not None:
                plan.issues.append(back)
                matched.remove((item, person))
        return matched, fresh, bare

    def _retired_refuses(
        self, hh: Household, matched: list[tuple[Item, Person]], fresh: list[Item], bare: list[Item], plan: Plan
    ) -> bool:
        """Whether a household retired as a whole (注销) refuses its rows: its own people, or the household
        alone (a row of household fields only), listed again (back, unless the sheet is an export older
        than the retirement), or anyone joining it."""
        listed = [(item, person) for item, person in matched if item.moved_from is None]
        joining = [*fresh, *(item for item, _p in matched if item.moved_from is not None)]
        back = bool(listed or bare) and self._household_returned(hh)
        if back:
            for item, person in listed:
                plan.issues.append(Issue(item.row.number, self._where_named(item), *_household_came_back(hh, person)))
            for item in bare:
                plan.issues.append(Issue(item.row.number, self._where_named(item), *_household_listed_again(hh)))
        for item in joining:
            plan.issues.append(Issue(item.row.number, self._where_named(item), *_retired(hh.id, hh.retired)))
        return back or bool(joining)

    def _where_named(self, item: Item) -> str | None:
        """Where a row names its household: its 户编号, or its name (the row follows the household)."""
        return self.lay.header("household_id") if item.pinned else self.lay.header("name")

    def _household_changes(self, hh: Household, house: dict[str, tuple[Any, int]], row: int, plan: Plan) -> dict:  # type: ignore[type-arg]
        """The household fields the rows change, weighed against history; a new address or grid is gated."""
        candidates, gates = {}, {}
        for key, (value, _row) in house.items():
            old = get_path(hh, _field(key))
            if old != value:
                candidates[key] = (value, old)
                if key == "grid":
                    gates[key] = "moves"
                elif key.startswith("address.") and old is not None:
                    gates[key] = "address"
        label = household_label(self, hh.id)
        changed, findings = merge_fields(self.merge, self.choices, hh.id, label, row, candidates, self._named, gates)
        plan.findings.extend(findings)
        return changed

    def _house_blanks(self, item: Item, hh: Household) -> list[tuple[int, str]]:
        """The row's blank cells of the household's own fields (住房性质, 小区…) that the ledger holds: kept, listed."""
        cells = [
            (i, h, get_path(hh, _field(k))) for k, (i, _c, h) in self.lay.fields.items() if k in HOUSEHOLD_KEYS[1:]
        ]
        return blank_cells(item.row, cells)

    def _person_changes(self, item: Item, person: Person, plan: Plan) -> dict[str, Any]:
        candidates = {k: (v, getattr(person, k)) for k, v in item.person.items() if getattr(person, k) != v}
        for key in item.derived:  # read off the ID number for a blank cell: a known person stays as the clerk left them
            candidates.pop(key, None)
        for k, v in item.row.extra.items():
            if text(person.extra.get(k)) != v:
                candidates[f"extra.{k}"] = (v, person.extra.get(k))
        for k in item.row.cleared:  # （清空）: the clerk clears the person's value
            old = person.extra.get(k[6:]) if k.startswith("extra.") else getattr(person, k, None)
            if old not in (None, "", []) and (k.startswith("extra.") or k in PERSON_KEYS):
                candidates[k] = ([] if isinstance(old, list) else None, old)  # a list field is emptied
        plan.blanks += blanks(item.row, self.lay, person, KEPT_BLANK)
        gates = {"name": "renames"} if "name" in candidates else {}
        row = item.row.number
        label = person.name
        out, findings = merge_fields(self.merge, self.choices, person.id, label, row, candidates, self._named, gates)
        plan.findings.extend(findings)
        extra = {k[6:]: v for k, v in out.items() if k.startswith("extra.")}
        out = {k: v for k, v in out.items() if not k.startswith("extra.")}
        if extra:
            out["extra"] = {k: v for k, v in {**person.extra, **extra}.items() if v is not None}
        return out

    def _by_name(self, hh: Household, item: Item, used: set[str]) -> Person | None:
        name = norm_key(item.person.get("name", ""))
        number = item.person.get("id_number")
        for member in hh.members:
            if member.id in used or norm_key(member.name) != name:
                continue
            if member.id_number and number and member.id_number.upper() != number:
                continue
            return member
        return None

    def _take(self, hid: str, pid: str, edits: FileEdits) -> Any:
        """A person's round-trip node out of the household they leave (迁户)."""
        _hh, src = self.households[hid]
        members = members_of(edits.doc(src.file, src.doc))
        index = next(i for i, m in enumerate(members) if str(m.get("id")) == pid)
        return members.pop(index)

    # -- validation ----------------------------------------------------------------------------

    def _validated(self, data: dict[str, Any], item: Item, plan: Plan) -> Person | None:
        """The person as the row makes them; on errors, without the failing fields, so checks still see the rest."""
        person, issues = model_issues(Person, data, self.context, self.person_column, item.row.number, PERSON)
        plan.issues.extend(issues)
        if person is None:
            bad = {i.problem.path[len(PERSON)] for i in issues if i.problem and len(i.problem.path) > len(PERSON)}
            rest = {k: v for k, v in data.items() if k not in bad or k in ("id", "name")}
            person, _again = model_issues(Person, rest, self.context, self.person_column, item.row.number, PERSON)
        return person  # type: ignore[return-value]

    def _household_valid(self, data: dict[str, Any], house: dict[str, tuple[Any, int]], first: int, plan: Plan) -> bool:
        _hh, issues = model_issues(Household, data, self.context, self.household_column, first)
        for issue in issues:
            path = issue.problem.path if issue.problem else ()
            key = "household_tags" if path[:1] == ("tags",) else ".".join(str(p) for p in path[:2])
            row = next((r for k, (_v, r) in house.items() if key and (k == key or k == path[0])), first)
            plan.issues.append(Issue(row, issue.column, problem=issue.problem))
        return not issues

    def _validate_new(self, house: dict[str, tuple[Any, int]], members: list[Item], plan: Plan) -> list[Placed]:
        data: dict[str, Any] = {"kind": "household", "id": "H0", "members": []}
        for key, (value, _row) in house.items():
            set_dotted(data, _field(key), value)
        if "grid" not in house:
            plan.issues.extend(Issue(i.row.number, grid_column(self.lay), *NO_GRID) for i in members)
            return []
        if not self._household_valid(data, house, members[0].row.number, plan):
            return []
        out = []
        for item in (m for m in members if not m.nobody):
            data = person_doc("P0", item)
            if item.match is not None:
                data = item.match.model_dump() | self._person_changes(item, item.match, plan)
            person = self._validated(data, item, plan)
            if person is not None:
                out.append(Placed(item, person, None, set(PERSON_ORDER)))
        return out

    def _check_people(self, placed: list[Placed], plan: Plan) -> None:
        """gridctl's own ID-number and phone checks, over the people the sheet adds or changes."""
        scratch = Ledger(root=self.ledger.root, settings=self.ledger.settings)
        blame: dict[int, set[str]] = {}
        for p in placed:
            fields = set(p.fields) | ({"birth_date", "gender"} if "id_number" in p.fields else set())
            blame[p.item.row.number] = fields
            source = Source(str(p.item.row.number), 0, PERSON)
            scratch.add(Entry("person", p.person.id, source, p.person, p.household))
        problems = [
            *people_checks.resident_ids(scratch, scratch.settings),
            *people_checks.phones(scratch, scratch.settings),
        ]
        wanted = lambda row, path: bool(path) and path[0] in blame[row]  # noqa: E731
        plan.issues.extend(check_issues(problems, self.person_column, wanted, prefix=len(PERSON)))

    # -- new households ------------------------------------------------------------------------

    def _add_new(
        self, households: list[tuple[dict[str, tuple[Any, int]], list[Item]]], edits: FileEdits, plan: Plan
    ) -> None:
        bad = {i.row for i in plan.issues}
        households = [(h, [m for m in ms if m.row.number not in bad]) for h, ms in households]
        households = [(h, ms) for h, ms in households if ms]
        fmt = self.ledger.settings.id_formats.get("household", "H######")
        hids = next_id(fmt, self.taken, self.today, count=len(households), slot=self._slot())
        fresh = sum(1 for _h, ms in households for m in ms if not m.nobody and m.match is None)
        pids = iter(self._person_ids(fresh))
        for (house, members), hid in zip(households, hids, strict=True):
            record: dict[str, Any] = {"kind": "household", "id": hid}
            for key in HOUSEHOLD_KEYS:
                if key in house and house[key][0] not in (None, []):  # （清空） in a new household: nothing to clear
                    set_dotted(record, _field(key), plain(house[key][0]))
            people = [m for m in members if not m.nobody]
            record["members"] = []
            for item in people:
                if item.match is not None and item.moved_from is not None:
                    node = yaml_plain(self._take(item.moved_from, item.match.id, edits))
                    update = self._person_changes(item, item.match, Plan())
                    node.update(update)
                    self._filled(item, update)
                    record["members"].append(node)
                    plan.updated += 1
                else:
                    record["members"].append(person_doc(next(pids), item))
                    self._filled(item, item.person)
                    plan.added_people += 1
            rel = path_for("household", record)
            edits.add(rel, "household", record)
            plan.added += 1
            plan.from_row(rel, 0, (), members[0].row.number, self.household_column)
            for n, item in enumerate(people):
                plan.from_row(rel, 0, ("members", n), item.row.number, self.person_column)
            rows = sorted(m.row.number for m in people) or [members[0].row.number]
            names = "、".join(str(m.person.get("name", "")) for m in people)
            finding = Finding("added", rows[0], hid, names, "new")
            finding.changes.append(FieldChange("address", "地址", None, _where(house)))
            plan.findings.append(finding)

    def _origins(self, edits: FileEdits, plan: Plan) -> None:
        """Which row each edited record came from, by id, once every edit is made (members may have moved)."""
        for rel, index, doc in edits.edited():
            rid = str(doc.get("id"))
            if rid in self.rows_of:
                plan.from_row(rel, index, (), self.rows_of[rid], self.household_column)
            for n, member in enumerate(members_of(doc) if isinstance(doc.get("members"), list) else []):
                pid = str(member.get("id"))
                if pid in self.rows_of:
                    plan.from_row(rel, index, ("members", n), self.rows_of[pid], self.person_column)

    def _filled(self, item: Item, written: dict[str, Any]) -> None:
        """Count the row when a field read off its ID number is written (the summary says how many)."""
        if item.derived & set(written):
            self.filled.add(item.row.number)

    def _person_ids(self, count: int) -> list[str]:
        """Fresh person ids; asked once per household of the sheet, mostly for none (each ask scans
        every id taken, and a register of 3,600 households asked 2,000 times: 90 s)."""
        if count <= 0:
            return []
        fmt = self.ledger.settings.id_formats.get("person", "P#######")
        ids = next_id(fmt, self.taken, self.today, count=count, slot=self._slot())
        self.taken.update(ids)
        return ids

    def _slot(self) -> int:
        if self._id_slot is None:
            self._id_slot = worker_slot(self.ledger.root)  # git config, read once per import
        return self._id_slot


REQUIRED = (
    "必填，不能清空；改为另一网格请填写其编码或名称",
    "required: it cannot be cleared; to move, write another grid's code or name",
)
"""（清空） in 所属网格 or 网格名称: a household is always in a grid."""


def _unknown(row: int, column: str | None, what: str, value: str) -> Issue:
    return Issue(
        row,
        column,
        f"{what} {value} 在台账中不存在；新增时请留空，由 gridctl 分配",
        f"{value} is not in the ledger; leave it blank for a new record and gridctl assigns one",
    )


def _moved(hid: str) -> tuple[str, str]:
    return (
        f"此人在台账中属于户 {hid}；调整户请用 gridctl move",
        f"this person belongs to household {hid} in the ledger; use gridctl move to change that",
    )


def _came_back(person: Person) -> tuple[str, str]:
    """A register listing a retired person again: say so, and how the record is taken back."""
    day, why = _when_why(person.retired)
    undo = f"gridctl edit {person.id} --unset retired -m"
    return (
        f"{person.name} ({person.id}) 已于 {day} 注销 ({why})，表中又登记了此人；如已迁回，"
        f"先撤销注销: {undo} 原因，再导入",
        f"{person.name} ({person.id}) was retired on {day} ({why}) and the register lists them again; "
        f"if they are back, reinstate the record first: {undo} REASON, then import again",
    )


def _when_why(gone: Any) -> tuple[str, str]:
    """The day and the reason of a 注销, the reason masked (it may name a phone or an ID number)."""
    from gridctl.model.masking import mask_text

    return getattr(gone, "date", ""), mask_text(str(getattr(gone, "reason", "")))


def _household_came_back(hh: Household, person: Person) -> tuple[str, str]:
    """A register listing again someone of a household retired as a whole: say so, and how the
    household is taken back (its members come back with it)."""
    day, why = _when_why(hh.retired)
    undo = f"gridctl edit {hh.id} --unset retired -m"
    return (
        f"{person.name} ({person.id}) 所在的户 {hh.id} 已于 {day} 注销 ({why})，表中又登记了此人；"
        f"如这户已迁回，先撤销注销: {undo} 原因，再导入",
        f"{person.name} ({person.id}) is in household {hh.id}, retired on {day} ({why}), and the register "
        f"lists them again; if the household is back, reinstate it first: {undo} REASON, then import again",
    )


def _household_listed_again(hh: Household) -> tuple[str, str]:
    """A register row of a household retired as a whole, with no person on it: as _household_came_back."""
    day, why = _when_why(hh.retired)
    undo = f"gridctl edit {hh.id} --unset retired -m"
    return (
        f"户 {hh.id} 已于 {day} 注销 ({why})，表中又登记了这户；如这户已迁回，先撤销注销: {undo} 原因，再导入",
        f"household {hh.id} was retired on {day} ({why}) and the register lists it again; if the household is "
        f"back, reinstate it first: {undo} REASON, then import again",
    )


def _retired(hid: str, gone: Any) -> tuple[str, str]:
    """A row that would add someone to a household that moved out (注销): counted by no status or report."""
    from gridctl.errors import household_retired

    message, hint = household_retired(hid, gone)
    return f"{message.zh}；{hint.zh}", f"{message.en}; {hint.en}"


def _where(house: dict[str, tuple[Any, int]]) -> str:
    from gridctl.excel.placement import address_text

    return address_text({k: v for k, (v, _row) in house.items()}) or str(house.get("grid", ("",))[0])
