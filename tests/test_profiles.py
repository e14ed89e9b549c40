"""Profiles: one per kind of use in the seed plans, built on the community profile (`extends`)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gridctl.ledger.profiles import merge, profile_defaults, profile_names
from gridctl.model.settings import Settings
from gridctl.ops.init import HOOKS_REPO, project_home

from conftest import AUTHOR_ENV, REPO, gridctl

PROFILES = ["community", "town", "school-safety", "education", "fire-safety"]


def settings(profile: str) -> Settings:
    return Settings.model_validate({**(profile_defaults(profile) or {}), "name": "x"})


def test_every_profile_is_bundled_and_valid() -> None:
    assert sorted(PROFILES) == profile_names()
    for name in PROFILES:
        assert settings(name).profile == name


def test_a_profile_extends_another_key_by_key() -> None:
    community, town = profile_defaults("community"), profile_defaults("town")
    assert community and town and "extends" not in town
    assert town["vocabularies"]["genders"] == community["vocabularies"]["genders"]  # inherited
    assert "购买服务" in town["vocabularies"]["employment"]  # overridden
    assert town["policy"]["households_per_staff"] is None
    assert town["policy"]["chief_role"] == "网格长"
    education = profile_defaults("education")
    assert education and education["checklists"] == profile_defaults("school-safety")["checklists"]  # type: ignore[index]
    assert education["levels"][0]["names"] == ["县教育局"]


def test_a_ledger_overrides_one_nested_supervision_key() -> None:
    base = {"supervision": {"inspections": {"levels": ["网格"], "idle_days": 7}}, "policy": {"chief_role": "网格长"}}
    merged = merge(base, {"supervision": {"inspections": {"idle_days": 3}}})
    assert merged["supervision"]["inspections"] == {"levels": ["网格"], "idle_days": 3}


def test_school_profiles_name_their_own_responsible_roles() -> None:
    school = settings("school-safety")
    assert school.policy.chief_role == "第一责任人" and school.policy.worker_roles == ["直接责任人"]
    assert all(level.code_digits is None for level in school.levels)
    names = [c.name for c in school.checklists]
    areas = {"消防安全", "饮食卫生与传染病防控", "校舍和设施设备安全", "校园周边安全", "自然灾害预防", "集体活动安全"}
    assert areas <= set(names)
    assert "事故四不放过" in names
    assert settings("education").id_patterns()["grid"].match("JY010203")
    assert not settings("fire-safety").id_patterns()["grid"].match("110105001")


@pytest.mark.parametrize("profile", PROFILES)
def test_init_with_each_profile(tmp_path: Path, profile: str) -> None:
    target = tmp_path / profile
    code, out, err = gridctl("init", str(target), "--name", f"{profile} 台账", "--profile", profile, env=AUTHOR_ENV)
    assert code == 0, out + err
    settings = (target / "gridctl.yaml").read_text(encoding="utf-8")
    assert f"profile: {profile}" in settings
    # a school's clerk is shown where the term calendar goes; the others have none to fill in
    assert ("# calendar:" in settings) == (profile in ("school-safety", "education", "fire-safety"))
    code, out, _ = gridctl("-C", str(target), "validate", "--lang", "en")
    assert code == 0 and out.startswith("no problems")


def test_init_writes_ci_that_uses_the_hooks(tmp_path: Path) -> None:
    target = tmp_path / "l"
    args = ["init", str(target), "--name", "x", "--hooks-repo", "file:///srv/gridctl", "--hooks-rev", "abc123"]
    assert gridctl(*args, env=AUTHOR_ENV)[0] == 0
    config = yaml.safe_load((target / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "file:///srv/gridctl" and repo["rev"] == "abc123"
    assert [h["id"] for h in repo["hooks"]] == ["gridctl-check-files", "gridctl-validate", "leak-guard"]
    assert config["default_install_hook_types"] == ["pre-commit", "commit-msg"]  # the guard reads the message too
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["gridctl-check-files"]["pass_filenames"] is True
    assert hooks["gridctl-validate"]["pass_filenames"] is False
    assert hooks["gridctl-validate"]["always_run"] is True  # a commit that only deletes a file is checked too


def test_the_default_hooks_repo_is_the_project_home(tmp_path: Path) -> None:
    import tomllib

    urls = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls["Homepage"] == HOOKS_REPO == project_home()
    target = tmp_path / "l"
    assert gridctl("init", str(target), "--name", "x", env=AUTHOR_ENV)[0] == 0
    config = yaml.safe_load((target / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"][0]["repo"] == HOOKS_REPO and config["repos"][0]["rev"].startswith("v")
