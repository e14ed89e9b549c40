"""What a clerk reads after an import: every rejected row, then one line that says what happened."""

from __future__ import annotations

from gridctl.excel.importing import ImportResult


def import_text(result: ImportResult, lang: str, reveal: bool = False) -> str:
    lines = [issue.line(result.file, lang, reveal) for issue in result.issues]
    for p in result.problems:
        lines.append(f"{p.file}:{p.line or 1}:{p.column or 1}: {p.severity}[{p.code}] {p.message(lang, reveal)}")
    lines.append(_outcome(result, lang))
    if result.rejected_file is not None:
        n = len(result.rejected)
        lines.append(
            f"未导入的 {n} 行及原因已写入 {result.rejected_file}"
            if lang == "zh"
            else f"the {n} rejected rows and why are in {result.rejected_file}"
        )
    return "\n".join(lines) + "\n"


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


def export_text(kind: str, count: int, path: str, reveal: bool, lang: str) -> str:
    from gridctl.messages import KIND_ZH

    if lang == "zh":
        masked = "" if reveal else " (个人信息已脱敏；用 --reveal 导出完整信息)"
        return f"已导出 {count} 条{KIND_ZH.get(kind, kind)}记录到 {path}{masked}\n"
    masked = "" if reveal else " (personal data masked; --reveal exports it in full)"
    return f"exported {count} {kind} records to {path}{masked}\n"
