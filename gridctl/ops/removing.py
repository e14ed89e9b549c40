"""remove: a record this clone added and never shared (a household typed in twice), as a Change.

A record anyone else may hold — it is in what the shared repository had when this clone last fetched
or pushed (the upstream branch, a review branch) — is retired instead: its history is kept, and a
clone that holds it would bring it back with its next merge. What was shared is told by the
remote-tracking branches as last fetched, and the branch a file made by `gridctl bundle` last
carried; a clone with no upstream branch cannot tell, and refuses.
"""

from __future__ import annotations

from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.gitrepo import GitFailed, run_git
from gridctl.ledger.index import Ledger
from gridctl.ledger.yamlfile import dump_apart
from gridctl.ops.records import Change, Edit, find, kind_label

KEPT = ("grid", "event", "inspection")
"""Kinds never removed, shared or not: a grid is the tree others hang on, an event's and an inspection's
timeline is the record of supervision."""


def remove(ledger: Ledger, record_id: str) -> Change:
    """Delete the record (a person: from its household) in one commit, if it was never shared."""
    entry = find(ledger, record_id)
    record_id = entry.id
    label = kind_label(entry.kind, "zh")
    if entry.kind in KEPT:
        raise GridctlError(
            Text(f"{label}不能删除", f"a {entry.kind} cannot be removed"),
            hint=Text("请修改它，或办结", "edit it or close it instead"),
        )
    # a household goes with its members: one shared (moved in from another household) goes with it
    members = [e.id for e in ledger.entries if e.kind == "person" and e.household == record_id]
    found = shared_in(ledger.root, [record_id, *members])
    if found is not None:
        held, shared = found
        who = record_id if held == record_id else f"{label} {record_id} 的成员 {held}"
        who_en = record_id if held == record_id else f"{record_id}'s member {held}"
        raise GridctlError(
            Text(
                f"{who} 已共享 (在 {shared} 中)，不能删除: 别人的台账里也有它，删除会在下次同步时回来，历史也会断",
                f"{who_en} is shared (it is in {shared}) and cannot be removed: others hold it, a merge "
                "would bring it back, and its history must stay",
            ),
            hint=Text(
                f"重复或不再需要的记录请注销: gridctl retire {record_id} --reason 重复录入",
                f"retire a duplicate instead: gridctl retire {record_id} --reason duplicate",
            )
            if held == record_id
            else Text(
                f"先把 {held} 迁出 (gridctl move {held} --to-household 户编号)，再删除 {record_id}",
                f"move {held} out first (gridctl move {held} --to-household ID), then remove {record_id}",
            ),
        )
    doc = Edit(ledger, entry.source.file)
    subject = Text(f"删除未共享的{label} {record_id}", f"remove unshared {entry.kind} {record_id}")
    if entry.kind == "person":
        *above, index = entry.source.path
        members = doc.docs[entry.source.doc]
        for key in above:
            members = members[key]
        del members[index]
        return Change(subject, {doc.rel: doc.dump()}, record_id)
    if doc.held() == 1:
        return Change(subject, {doc.rel: None}, record_id)
    kept, _gone = dump_apart(doc.text, doc.docs, {entry.source.doc: doc.rel})
    return Change(subject, {doc.rel: kept}, record_id)


def shared_in(root: Path, record_ids: list[str]) -> tuple[str, str] | None:
    """The first of `record_ids` a remote-tracking branch (as last fetched or pushed) or what this
    clone last put into a file for the office holds, and that branch, if any.

    Every one counts, not the upstream alone: a worker's `sync` sends its work to review/<staff id>,
    which the office may approve at any time; `gridctl bundle` keeps what it sent as the local branch
    review/<staff id> (a worker without a network has no remote-tracking branch of it)."""
    from gridctl.ledger.files import GitTree
    from gridctl.ledger.index import load
    from gridctl.merge.sync import REVIEW_PREFIX

    record_id = record_ids[0]
    try:
        run_git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    except GitFailed:
        raise GridctlError(
            Text(
                f"本台账没有上游分支 (共享仓库)，无法判断 {record_id} 是否已经共享，不能删除",
                f"this clone has no upstream branch (a shared repository): gridctl cannot tell whether "
                f"{record_id} was shared, so it is not removed",
            ),
            hint=Text(
                f"注销它: gridctl retire {record_id} --reason 重复录入；或先 gridctl setup 并 gridctl sync",
                f"retire it: gridctl retire {record_id} --reason duplicate; or gridctl setup and gridctl sync first",
            ),
        ) from None
    sent = f"refs/heads/{REVIEW_PREFIX}"
    listed = run_git(root, "for-each-ref", "--format=%(objectname) %(refname:short)", "refs/remotes", sent)
    seen: set[str] = set()
    for line in listed.decode("utf-8", "replace").splitlines():
        sha, _, name = line.partition(" ")
        if not sha or sha in seen or name.endswith("/HEAD"):
            continue
        seen.add(sha)
        there, _problems = load(root, GitTree(root, sha))
        for rid in record_ids:
            if there is not None and rid in there.by_id:
                return rid, name
    return None
