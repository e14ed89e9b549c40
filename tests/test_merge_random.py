"""200 random pairs of concurrent offline edits: no update is lost, and conflicts arise exactly where
the same field was changed two ways.

Half of the pairs go through real repositories (two workers' clones of a bare remote, plain
`git push`, `gridctl sync`, `gridctl resolve`), half straight through the merge of one file (the
same code the driver runs), so the test stays quick.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml_rs
from teamwork import git, run, team

from gridctl.ledger.yamlfile import dump_rt, load_rt
from gridctl.merge import conflicts as store
from gridctl.merge.threeway import merge_text

from conftest import id_number

GRID = "110105001001001"
HOUSING = ["自有", "租住", "单位宿舍", "借住", "公租房", "其他"]
ETHNIC = ["汉族", "回族", "满族", "壮族", "苗族"]
NAMES = ["张伟", "王秀英", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"]
Op = tuple[str, str, Any]  # (record id, field, value); field "+member" adds a member


def household(i: int) -> str:
    a, b = id_number(seq=f"{2 * i + 1:03d}"), id_number(seq=f"{2 * i + 2:03d}")
    return f"""\
# 入户核实 {i}
kind: household
id: H{i:06d}
grid: "{GRID}"
address: {{estate: 阳光小区, building: "{i % 9 + 1}", room: "{100 + i}"}}  # 门牌
housing: 自有
members:
  - id: P{2 * i + 1:07d}
    name: 张伟
    id_number: "{a}"
    gender: 男
    birth_date: 1980-03-15
    relation: 户主
    residence: 户籍
  - id: P{2 * i + 2:07d}
    name: 李娜
    id_number: "{b}"
    gender: 女
    birth_date: 1980-03-15
    relation: 配偶
    residence: 户籍
"""


def rel(i: int) -> str:
    return f"households/{GRID}/H{i:06d}.yaml"


class Workers:
    """Random edits of one household by one worker, with new member ids from the worker's range."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seq = {2: 400, 3: 650}

    def op(self, i: int, worker: int, same_as: Op | None = None) -> Op:
        rng = self.rng
        if same_as is not None:  # the same field, changed the same way or another way
            record, fld, _value = same_as
            return (record, fld, self.value(fld))
        if rng.random() < 0.15:
            self.seq[worker] += 1
            seq = self.seq[worker]
            member = {
                "id": f"P{worker}{seq:07d}",
                "name": rng.choice(NAMES),
                "id_number": id_number(seq=f"{seq:03d}"),
                "gender": "男" if seq % 2 else "女",
                "birth_date": dt.date(1980, 3, 15),
                "relation": "子",
                "residence": "户籍",
            }
            return (f"H{i:06d}", "+member", member)
        if rng.random() < 0.5:
            fld = rng.choice(["address.room", "address.building", "housing"])
            return (f"H{i:06d}", fld, self.value(fld))
        fld = rng.choice(["name", "ethnicity", "phones"])
        return (f"P{2 * i + rng.choice([1, 2]):07d}", fld, self.value(fld))

    def value(self, fld: str) -> Any:
        rng = self.rng
        return {
            "address.room": lambda: str(rng.randint(100, 130)),
            "address.building": lambda: str(rng.randint(1, 3)),
            "housing": lambda: rng.choice(HOUSING[:3]),
            "name": lambda: rng.choice(NAMES[:3]),
            "ethnicity": lambda: rng.choice(ETHNIC[:3]),
            "phones": lambda: [f"1391234{rng.randint(5670, 5672)}"],
        }[fld]()


def pair(w: Workers, i: int) -> tuple[Op, Op]:
    a = w.op(i, 2)
    roll = w.rng.random()
    if roll < 0.35 and a[1] != "+member":
        return a, w.op(i, 3, same_as=a)
    return a, w.op(i, 3)


def locate(doc: dict[str, Any], record: str) -> dict[str, Any]:
    if doc["id"] == record:
        return doc
    return next(m for m in doc["members"] if m["id"] == record)


def apply(doc: dict[str, Any], op: Op) -> None:
    record, fld, value = op
    node = locate(doc, record)
    if fld == "+member":
        node["members"].append(copy.deepcopy(value))
        return
    *parents, last = fld.split(".")
    for step in parents:
        node = node[step]
    node[last] = copy.deepcopy(value)


def edited(text: str, op: Op) -> str:
    docs = load_rt(text)
    apply(docs[0], op)
    return dump_rt(text, docs).decode("utf-8")


def value_at(data: dict[str, Any], op: Op) -> Any:
    node: Any = locate(data, op[0])
    for step in op[1].split("."):
        node = node.get(step) if isinstance(node, dict) else None
    return node


def expect(base: str, a: Op, b: Op, take: str) -> tuple[dict[str, Any], set[tuple[str, str]]]:
    """The household after both edits, and the conflicts there must be (`take` settles them)."""
    data = yaml_rs.loads(base)
    conflicts = set()
    before = value_at(data, a) if a[1] != "+member" else None
    if a[:2] == b[:2] and a[1] != "+member" and before != a[2] and before != b[2] and a[2] != b[2]:
        conflicts.add((a[0], a[1]))
        apply(data, a if take == "mine" else b)
    else:
        apply(data, a)
        if not (a[:2] == b[:2] and b[2] == before):  # b left the field as it was: a's change stays
            apply(data, b)
    return data, conflicts


def plain(data: Any) -> Any:
    return yaml_rs.loads(yaml_rs.dumps(data)) if not isinstance(data, str) else yaml_rs.loads(data)


def test_100_pairs_through_the_merge_of_one_file() -> None:
    rng = random.Random(17)
    w = Workers(rng)
    seen_conflicts = 0
    for n in range(100):
        base = household(n)
        a, b = pair(w, n)
        mine, theirs = edited(base, a), edited(base, b)
        result = merge_text(rel(n), base.encode(), mine.encode(), theirs.encode())
        want, conflicts = expect(base, a, b, "mine")
        assert {(c.record, c.field) for c in result.conflicts} == conflicts, (a, b)
        assert result.data is not None
        assert yaml_rs.loads(result.data.decode()) == want, (a, b)
        assert result.data.decode().startswith(f"# 入户核实 {n}\n") and "# 门牌" in result.data.decode()
        seen_conflicts += len(conflicts)
    assert 10 < seen_conflicts < 50  # the draw exercises both outcomes


def test_100_pairs_through_real_clones_git_and_gridctl_sync(tmp_path: Path) -> None:
    count = 50
    t = team(tmp_path, households={rel(i): household(i) for i in range(count)})
    rng = random.Random(1717)
    w = Workers(rng)
    total = 0
    for batch in range(2):
        pairs = [pair(w, i) for i in range(count)]
        bases = {i: (t["w2"] / rel(i)).read_text(encoding="utf-8") for i in range(count)}
        for i, (a, b) in enumerate(pairs):
            (t["w2"] / rel(i)).write_text(edited(bases[i], a), encoding="utf-8")
            (t["w3"] / rel(i)).write_text(edited(bases[i], b), encoding="utf-8")
        git(t["w2"], "commit", "-qam", f"李强 batch {batch}")
        git(t["w3"], "commit", "-qam", f"赵敏 batch {batch}")
        git(t["w3"], "push", "-q", "origin", "HEAD:main")  # a worker who uses git directly
        code, out = run(t["w2"], "sync")
        expected: dict[int, dict[str, Any]] = {}
        wanted: set[tuple[str, str]] = set()
        takes = {}
        for i, (a, b) in enumerate(pairs):
            take = rng.choice(["mine", "theirs"])
            expected[i], conflicts = expect(bases[i], a, b, take)
            wanted |= conflicts
            takes.update({c: take for c in conflicts})
        total += len(wanted)
        found = {(e["record"], e["field"]) for e in store.live(t["w2"])}
        assert found == wanted, out
        assert code == (1 if wanted else 0), out
        for record, fld in sorted(wanted):
            code, out = run(t["w2"], "resolve", record, fld, "--take", takes[(record, fld)])
            assert code in (0, 1), out
        assert git(t["w2"], "status", "--porcelain", "--untracked-files=no") == ""
        assert len(git(t["w2"], "log", "-1", "--format=%P").split()) == 2  # the merge commit
        for i in range(count):
            assert yaml_rs.loads((t["w2"] / rel(i)).read_text(encoding="utf-8")) == expected[i], (
                batch,
                pairs[i],
                bases[i],
            )
        git(t["w2"], "push", "-q", "origin", "HEAD:main")
        git(t["w3"], "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
        assert git(t["w3"], "rev-parse", "HEAD") == git(t["w2"], "rev-parse", "HEAD")
    assert total > 5  # the draw exercises both outcomes
