"""What a clerk reads after an import: the rejected rows, what the rows change, one line on what happened."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gridctl.excel.findings import GROUPS, TITLES, as_json, line
from gridctl.excel.importing import ImportResult
from gridctl.render.problems import problem_dict


def masked_names(result: ImportResult, reveal: bool) -> ImportResult:
    """The result as an output names its files: an ID number in a register's name (赵六110105….csv, a file
    per person) masked as an error message masks it, unless --reveal."""
    from dataclasses import replace

    from gridctl.model.masking import mask_ids

    if reveal:
        return result
    rejected = Path(mask_ids(str(result.rejected_file))) if result.rejected_file is not None else None
    return replace(result, file=mask_ids(result.file), rejected_file=rejected)


def import_text(result: ImportResult, lang: str, reveal: bool = False) -> str:
    zh = lang == "zh"
    result = masked_names(result, reveal)
    lines = [issue.line(result.file, lang, reveal) for issue in result.issues]
    for p in result.problems:
        lines.append(f"{p.file}:{p.line or 1}:{p.column or 1}: {p.severity}[{p.code}] {p.message(lang, reveal)}")
    if result.warnings:
        cols = ("、" if zh else ", ").join(w[0] if zh else w[1] for w in result.warnings)
        lines.append(
            f"{result.file}: 警告: 以下列未导入: {cols}" if zh else f"{result.file}: warning: not imported: {cols}"
        )
    if result.footers:
        rows = ("、" if zh else ", ").join(map(str, result.footers))
        lines.append(
            f"{result.file}: 警告: 第 {rows} 行是合计或签名行，未导入"
            if zh
            else f"{result.file}: warning: rows {rows} are totals or signature lines, not imported"
        )
    if result.absent:
        lines.append(_absent(result, zh))
    if result.blanks:
        lines.append(_blanks(result, zh))
    for group in GROUPS:
        shown = [f for f in result.findings if f.group == group and (result.dry_run or f.settled is not None)]
        if shown:
            title = TITLES[group][0 if zh else 1]
            lines.append(f"{title} ({len(shown)}):")
            lines += ["  " + line(f, lang, reveal) for f in sorted(shown, key=lambda f: f.row)]
    lines.append(_outcome(result, lang))
    if result.rejected_file is not None:
        n = len(result.rejected)
        masked = (
            ""
            if reveal
            else (
                " (个人信息已脱敏：按行号在原表中更正；用 --reveal 写出完整的行)"
                if zh
                else " (personal data masked: correct the rows in the register by number; --reveal writes them whole)"
            )
        )
        lines.append(
            f"未导入的 {n} 行及原因已写入 {result.rejected_file}{masked}"
            if zh
            else f"the {n} rejected rows and why are in {result.rejected_file}{masked}"
        )
    return "\n".join(lines) + "\n"


def import_json(result: ImportResult, lang: str, reveal: bool = False) -> str:
    """One JSON document: what happened, and each finding with field names as keys and typed values."""
    result = masked_names(result, reveal)
    doc: dict[str, Any] = {
        "file": result.file,
        "kind": result.kind,
        "dry_run": result.dry_run,
        "written": result.written and not result.dry_run,
        "commit": None if result.dry_run else result.commit,
        "base": result.base,
        "rows": result.rows,
        "summary": {
            "added": result.added,
            **({"added_people": result.added_people} if result.kind == "household" else {}),
            "updated": result.updated,
            "unchanged": result.unchanged,
            **({"filled_from_id_number": result.filled} if result.kind == "household" else {}),
            "rejected": len(result.rejected),
            **{g: result.count(g) for g in ("moved", "conflicts", "reverts")},
            "open": len(result.open),
        },
    }
    for group in GROUPS:
        doc[group] = [as_json(f, reveal) for f in sorted(result.findings, key=lambda f: f.row) if f.group == group]
    doc["rejected"] = [
        {
            "row": i.row,
            "column": i.column,
            "message": i.message(lang, reveal),
            **({"code": i.problem.code} if i.problem else {}),
        }
        for i in result.issues
    ]
    doc["problems"] = [problem_dict(p, lang, reveal) for p in result.problems]
    doc["not_imported"] = [w[0] if lang == "zh" else w[1] for w in result.warnings]
    doc["footer_rows"] = result.footers
    doc["blank_kept"] = [{"row": row, "column": column} for row, column in result.blanks]
    doc["absent"] = [{"id": rid, "name": name} for rid, name in result.absent]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


SHOWN = 10
"""Records left out of a register named one by one; more are counted."""


def _absent(r: ImportResult, zh: bool) -> str:
    """The records the register no longer lists, and what to do: an import never retires anyone."""
    n = len(r.absent)
    names = ("、" if zh else ", ").join(f"{name} ({rid})" for rid, name in r.absent[:SHOWN])
    more = (f" 等 {n} 条" if zh else f" and {n - SHOWN} more") if n > SHOWN else ""
    if zh:
        return (
            f"{r.file}: 注意: 导出时的 {n} 条记录在登记表中没有了，台账中仍在 (导入不会注销): {names}{more}；"
            "已迁出或去世的，用 gridctl retire 编号 --reason 原因 注销"
        )
    return (
        f"{r.file}: note: {n} records the export listed are no longer in the register and stay in the ledger "
        f"(an import never retires): {names}{more}; retire those who left with gridctl retire ID --reason WHY"
    )


def _blanks(r: ImportResult, zh: bool) -> str:
    """Blank cells of values the ledger holds: kept, one by one, and how to clear one on purpose."""
    n = len(r.blanks)
    if zh:
        cells = "、".join(f"第{row}行 {column}" for row, column in r.blanks[:SHOWN])
        more = f" 等 {n} 处" if n > SHOWN else ""
        return (
            f"{r.file}: 注意: {n} 个单元格为空，台账中有值，未清空: {cells}{more}；要清空某项，请在单元格中填写（清空）"
        )
    cells = ", ".join(f"row {row} {column}" for row, column in r.blanks[:SHOWN])
    more = f" and {n - SHOWN} more" if n > SHOWN else ""
    return (
        f"{r.file}: note: {n} blank cells hold a value in the ledger and were not cleared: {cells}{more}; "
        "to clear a value, type （清空） in its cell"
    )


def _outcome(r: ImportResult, lang: str) -> str:
    zh = lang == "zh"
    summary = r.summary_zh() if zh else r.summary_en()
    bad = len(r.rejected)
    if r.problems:
        return (
            "未写入: 导入后的台账会产生以上问题，台账和 git 均未改动"
            if zh
            else "nothing written: the import would add the problems above; ledger and git unchanged"
        )
    if r.open:
        return _open(r, zh)
    if r.issues and not r.skip_invalid:
        return (
            f"未写入: {bad} 行有误 (共 {r.rows} 行)，台账和 git 均未改动；"
            "改正后重新导入，或加 --skip-invalid 只导入无误的行"
            if zh
            else f"nothing written: {bad} of {r.rows} rows have errors; ledger and git unchanged. "
            "Correct them and import again, or use --skip-invalid to import the good rows"
        )
    if r.dry_run:
        return f"试运行，未写入: {summary}" if zh else f"dry run, nothing written: {summary}"
    if not r.written or not r.commit:
        return f"没有变化，未提交: {summary}" if zh else f"no changes, nothing committed: {summary}"
    return f"已导入并提交 {r.commit[:10]}: {summary}" if zh else f"imported, committed {r.commit[:10]}: {summary}"  # type: ignore[index]


def _open(r: ImportResult, zh: bool) -> str:
    needs = sorted({f.needs for f in r.open if f.needs}, key=lambda n: (not n.startswith("--prefer"), n))
    n = len(r.open)
    if zh:
        return (
            f"未写入: {n} 处需要确认 (冲突、回退、迁户、改名或地址变更)，台账和 git 均未改动；看过后选择: "
            + "、".join(needs)
        )
    return f"nothing written: {n} findings need a decision (conflicts, reverts, moves, renames, new addresses); " + (
        "ledger and git unchanged. Choose with: " + ", ".join(needs)
    )


def export_text(kind: str, count: int, path: str, reveal: bool, lang: str, closed: bool = False) -> str:
    """`closed`: an encrypted ledger no key here opens; even --reveal leaves its personal values (已加密)."""
    from gridctl.messages import KIND_ZH

    if lang == "zh":
        masked = "" if reveal else " (个人信息已脱敏；用 --reveal 导出完整信息)"
        if closed:
            masked = " (台账已加密，本机没有能解开它的密钥：个人信息写为 (已加密)，不是完整信息)"
        return f"已导出 {count} 条{KIND_ZH.get(kind, kind)}记录到 {path}{masked}\n"
    masked = "" if reveal else " (personal data masked; --reveal exports it in full)"
    if closed:
        masked = " (the ledger is encrypted and no key here opens it: personal data reads (已加密), not in full)"
    return f"exported {count} {kind} records to {path}{masked}\n"
