"""A value typed by hand without quotes that YAML reads as a number without its leading zero (GC117):
`phone: 01065071234` became 1065071234 on the notice board, `room: 0101` became 101, with validate
and check-files clean; or as another number than the one typed (GC118): `phone: +8613800138000`
lost its `+`, `room: 1.10` became 1.1, `unit: 0x1F` became 31."""

from __future__ import annotations

import typing
from pathlib import Path

import git
from pydantic import BaseModel

HOUSE = "households/110105001001001/H000001.yaml"


def hand_edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git.Repo(root).git.commit("-qam", "手工修改")


def test_a_landline_and_a_room_typed_without_quotes_are_errors_where_they_are(repo: Path, cli) -> None:
    hand_edit(repo, "staff/S0001.yaml", 'phone: "13800138000"', "phone: 01065071234")
    hand_edit(repo, HOUSE, 'room: "501"', "room: 0501")
    for _ in range(2):  # cold, then from the cache
        result = cli("-C", str(repo), "--lang", "zh", "validate")
        assert result.exit_code == 1, result.output
        found = f"{HOUSE}:5:57: error[GC117] 字段 address.room 的 0501 没有加引号，被读成了数字，开头的 0 会丢掉"
        assert found in result.output
        assert '= 提示: 加引号: room: "0501"' in result.output
        assert "staff/S0001.yaml:5:8: error[GC117] 字段 phone 的" in result.output
    checked = cli("-C", str(repo), "--lang", "en", "check-files", str(repo / "staff/S0001.yaml"), str(repo / HOUSE))
    assert checked.exit_code == 1, checked.output
    assert checked.output.count("error[GC117]") == 2
    assert "address.room: 0501 without quotes is read as a number and loses its leading 0" in checked.output
    assert 'hint: put it in quotes: room: "0501"' in checked.output
    # gridctl's own edit writes the value quoted: the zero stays and the error goes
    fixed = cli("-C", str(repo), "edit", "S0001", "--set", "phone=01065071234")
    assert fixed.exit_code == 0, fixed.output
    assert cli("-C", str(repo), "show", "S0001").output.count("01065071234") == 1
    fixed = cli("-C", str(repo), "edit", "H000001", "--set", "address.room=0501")
    assert fixed.exit_code == 0, fixed.output
    assert cli("-C", str(repo), "validate").exit_code == 0


def test_a_residents_number_in_a_flow_list_is_found_and_masked(repo: Path, cli) -> None:
    hand_edit(repo, HOUSE, 'phones: ["13912345678"]', 'phones: ["13912345678", 01065071234]')
    result = cli("-C", str(repo), "--lang", "en", "validate")
    assert result.exit_code == 1, result.output
    assert "error[GC117] members[0].phones[1]: 010****1234 without quotes" in result.output
    assert 'put it in quotes: "010****1234"' in result.output and "01065071234" not in result.output


def test_a_plus_a_decimal_and_a_hex_code_typed_without_quotes_are_errors_where_they_are(repo: Path, cli) -> None:
    hand_edit(repo, "staff/S0001.yaml", 'phone: "13800138000"', "phone: +8613800138000")
    hand_edit(repo, HOUSE, 'unit: "2", room: "501"', "unit: 0x1F, room: 1.10")
    for _ in range(2):  # cold, then from the cache
        result = cli("-C", str(repo), "--lang", "zh", "validate")
        assert result.exit_code == 1, result.output
        found = "staff/S0001.yaml:5:8: error[GC118] 字段 phone 的 +86138****8000 没有加引号，被读成了数字"
        assert found in result.output
        assert '= 提示: 加引号: phone: "+86138****8000"' in result.output
        unit = f"{HOUSE}:5:46: error[GC118] 字段 address.unit 的 0x1F 没有加引号，被读成了数字 31，与所写的不同"
        assert unit in result.output and '= 提示: 加引号: unit: "0x1F"' in result.output
        room = f"{HOUSE}:5:58: error[GC118] 字段 address.room 的 1.10 没有加引号，被读成了数字 1.1，与所写的不同"
        assert room in result.output and '= 提示: 加引号: room: "1.10"' in result.output
    checked = cli("-C", str(repo), "--lang", "en", "check-files", str(repo / "staff/S0001.yaml"), str(repo / HOUSE))
    assert checked.exit_code == 1, checked.output
    assert "address.unit: 0x1F without quotes is read as the number 31, not as typed" in checked.output
    # gridctl's own edit writes the value quoted: the + stays and the error goes
    fixed = cli("-C", str(repo), "edit", "S0001", "--set", "phone=+8613800138000")
    assert fixed.exit_code == 0, fixed.output
    assert "+8613800138000" in cli("-C", str(repo), "show", "S0001").output
    fixed = cli("-C", str(repo), "edit", "H000001", "--set", "address.unit=0x1F", "--set", "address.room=1.10")
    assert fixed.exit_code == 0, fixed.output
    assert cli("-C", str(repo), "validate").exit_code == 0


def test_a_number_in_a_flow_list_without_a_space_is_found(repo: Path, cli) -> None:
    """`[1,0101]`: the only 0 of the file after a comma (no space, no `[`)."""
    hand_edit(repo, HOUSE, 'phones: ["13912345678"]', 'phones: ["13912345678",01065071234]')
    hand_edit(repo, HOUSE, "birth_date: 1980-03-15", 'birth_date: "1980-03-15"')
    result = cli("-C", str(repo), "--lang", "en", "validate")
    assert result.exit_code == 1, result.output
    assert f"{HOUSE}:14:28: error[GC117] members[0].phones[1]: 010****1234 without quotes" in result.output
    hand_edit(repo, HOUSE, '",01065071234]', '",+8613812345678]')
    result = cli("-C", str(repo), "--lang", "en", "validate")
    assert result.exit_code == 1, result.output
    masked = "error[GC118] members[0].phones[1]: +86*******5678 without quotes is read as the number 861******5678"
    assert masked in result.output and "8613812345678" not in result.output


def test_numbers_written_back_as_typed_and_coordinates_are_no_finding(repo: Path, cli) -> None:
    """A number in a ledger's own field that YAML gives back as typed (an area, a count), and the
    coordinates of a grid's polygon (numbers by design): nothing is rewritten."""
    path = repo / HOUSE
    path.write_text(path.read_text(encoding="utf-8") + "    extra: {面积: 85.5, 人数: 3, 楼层: -1}\n", encoding="utf-8")
    grid = repo / "grids/110105001001001.yaml"
    polygon = "polygon: {type: Polygon, coordinates: [[[116.449600, 39.950000], [116.452, 39.94], [116.4496, 39.95]]]}"
    text = grid.read_text(encoding="utf-8").replace("north: 建设路}", f"north: 建设路, {polygon}}}")
    grid.write_text(text, encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "手工修改")
    result = cli("-C", str(repo), "--lang", "en", "validate")
    assert "GC117" not in result.output and "GC118" not in result.output, result.output
    assert result.exit_code == 0, result.output


def test_text_in_quotes_a_block_or_a_count_is_no_finding(repo: Path, cli) -> None:
    """Quoted, explicitly text, inside a block of text, or a count (the same number with or without
    the zero): nothing is lost."""
    hand_edit(repo, HOUSE, 'room: "501"', "room: !!str 0501")
    extra = "    extra:\n      说明: |\n        门牌: 0501\n      编号: '0503'\n"
    path = repo / HOUSE
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    grid = repo / "grids/110105001001001.yaml"
    grid.write_text(grid.read_text(encoding="utf-8") + "households_declared: 0500\n", encoding="utf-8")
    git.Repo(repo).git.add(A=True)
    git.Repo(repo).git.commit("-qm", "手工修改")
    result = cli("-C", str(repo), "--lang", "en", "validate")
    assert "GC117" not in result.output, result.output
    assert result.exit_code == 0, result.output


def test_an_own_field_under_extra_loses_its_zero_too(repo: Path, cli) -> None:
    path = repo / HOUSE
    path.write_text(path.read_text(encoding="utf-8") + "    extra: {门牌: 0501}\n", encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "手工修改")
    result = cli("-C", str(repo), "--lang", "en", "validate")
    assert result.exit_code == 1 and "members[0].extra.门牌: 0501 without quotes" in result.output


def _number_fields(model: type[BaseModel], seen: set[type], wanted: object = None) -> set[str]:
    """The fields of `model` (and the models in it) that hold numbers, or with `wanted`, that type
    (typing.Any: any value, `extra` aside)."""
    out: set[str] = set()
    if model in seen:
        return out
    seen.add(model)

    def kinds(tp: object) -> set[object]:
        if typing.get_origin(tp) is typing.Annotated:
            return kinds(typing.get_args(tp)[0])
        args = typing.get_args(tp)
        return set().union(*(kinds(a) for a in args)) if args else {tp}

    for name, info in model.model_fields.items():
        found = kinds(info.annotation)
        numbers = found & {int, float} and str not in found
        if numbers if wanted is None else wanted in found and name != "extra":
            out.add(name)
        for tp in found:
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                out |= _number_fields(tp, seen, wanted)
    return out


def test_the_count_fields_passed_over_are_the_models_number_fields() -> None:
    from gridctl.ledger.zeros import FREE_FIELDS, NUMBER_FIELDS
    from gridctl.model import KINDS

    seen: set[type] = set()
    assert set().union(*(_number_fields(model, seen) for model in KINDS.values())) == NUMBER_FIELDS
    seen = set()
    assert set().union(*(_number_fields(model, seen, typing.Any) for model in KINDS.values())) == FREE_FIELDS


def test_text_read_as_a_number_a_yes_no_or_a_date_says_to_quote_it(repo: Path, cli) -> None:
    """`room: 1.0`, `room: true` or `room: 2026-05-01` got only "should be a valid string" (应为文本),
    with no word of the quotes that fix it."""
    cases = {
        "1.0": ("YAML 把这个值读成数字 1.0，不是文字；应按原样加英文引号", "as the number 1.0, not as text"),
        "true": (
            '把 true 读成是/否，不是文字；应加英文引号写成 "true"',
            'yes/no value, not as text; write it in quotes: "true"',
        ),
        "2026-05-01": ('把 2026-05-01 读成日期，不是文字；应加英文引号写成 "2026-05-01"', "as a date, not as text"),
    }
    for typed, (zh, en) in cases.items():
        path = repo / HOUSE
        path.write_text(path.read_text(encoding="utf-8").replace('room: "501"', f"room: {typed}", 1), encoding="utf-8")
        result = cli("-C", str(repo), "--lang", "zh", "validate")
        assert result.exit_code == 1 and "error[GC100] 字段 address.room: " in result.output, result.output
        assert zh in result.output, result.output
        assert en in cli("-C", str(repo), "--lang", "en", "validate").output
        git.Repo(repo).git.checkout("--", HOUSE)
