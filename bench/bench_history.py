"""How fast is the audit trail, next to git itself, on a ledger with a long history?

    python bench/bench_history.py [--households 12000] [--commits 5000]

Builds (or reuses) a generated ledger as a git repository with one commit of everything, then
adds --commits commits with `git fast-import`: hand edits of households (housing, a member's
phone), households moved between grids (file moves), and one household followed closely (edited
and moved several times). Then times, side by side in one run, best of 3:

- `gridctl history H…` for that household, and `git log --follow -p -- FILE` on its file;
- `gridctl log` over the whole history, and `git log --name-only`: as a clerk's second run finds
  it (descriptions kept), and as a fresh clone's first run does (nothing under .git/gridctl).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

from bench_validate import best_of, gridctl_command, ledger_for  # noqa: E402

HOUSING = ["自有", "租住", "借住", "单位宿舍"]


def git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    return subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=True).stdout.decode()


def build(households: int, commits: int, seed: int) -> tuple[Path, str]:
    """The history repository and the id of the household followed closely."""
    target = OUT / f"history-{households}-{commits}-s{seed}"
    marker = target / ".git" / "bench-done"
    if marker.is_file():
        return target, marker.read_text(encoding="utf-8").strip()
    source, _ = ledger_for(households, seed, regen=False)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    env_date = "2025-01-01T08:00:00+08:00"
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=王芳",
            "-c",
            "user.email=wf@example.cn",
            "commit",
            "-q",
            "-m",
            "初始台账",
            "--date",
            env_date,
        ],
        cwd=target,
        check=True,
        env={"GIT_COMMITTER_DATE": env_date, "PATH": "/usr/bin:/bin"},
    )
    files = sorted(p.relative_to(target).as_posix() for p in (target / "households").rglob("*.yaml"))
    grids = sorted({f.split("/")[1] for f in files})
    rnd = random.Random(seed)
    followed = files[len(files) // 2]
    followed_id = Path(followed).stem
    contents = {f: (target / f).read_text(encoding="utf-8") for f in files}
    stream: list[bytes] = []
    start = 1735689600 + 3600  # 2025-01-01 09:00 +08:00, one commit an hour after that
    names = [("王芳", "wf@example.cn"), ("李娜", "ln@example.cn"), ("张伟", "zw@example.cn")]
    for n in range(commits):
        path = followed if n % 250 == 0 else rnd.choice(files)
        text = contents[path]
        ops: list[tuple[str, str | None]] = []
        if n % 50 == 25 or (path == followed and n % 1000 == 0 and n):
            grid = path.split("/")[1]
            new_grid = rnd.choice([g for g in grids if g != grid])
            new_path = path.replace(f"/{grid}/", f"/{new_grid}/")
            text = text.replace(f'grid: "{grid}"', f'grid: "{new_grid}"').replace(
                f"grid: '{grid}'", f"grid: '{new_grid}'"
            )
            ops = [(path, None), (new_path, text)]
            files[files.index(path)] = new_path
            del contents[path]
            contents[new_path] = text
            if path == followed:
                followed = new_path
            message = f"move household {Path(path).stem}: {grid} → {new_grid}"
        else:
            old = re.search(r"housing: (\S+)", text)
            if old:
                text = text.replace(
                    old.group(0), f"housing: {rnd.choice([h for h in HOUSING if h != old.group(1)])}", 1
                )
            else:
                text = text.rstrip("\n") + f"\nhousing: {rnd.choice(HOUSING)}\n"
            contents[path] = text
            ops = [(path, text)]
            message = f"edit household {Path(path).stem}: housing"
        who, email = names[n % len(names)]
        when = start + n * 3600
        body = message.encode()
        stream.append(
            f"commit refs/heads/main\nauthor {who} <{email}> {when} +0800\n"
            f"committer {who} <{email}> {when} +0800\ndata {len(body)}\n".encode()
            + body
            + b"\n"
        )
        if n == 0:
            stream.append(b"from refs/heads/main^0\n")
        for op_path, op_text in ops:
            if op_text is None:
                stream.append(f"D {op_path}\n".encode())
            else:
                data = op_text.encode()
                stream.append(f"M 100644 inline {op_path}\ndata {len(data)}\n".encode() + data + b"\n")
        stream.append(b"\n")
    subprocess.run(["git", "fast-import", "--quiet", "--force"], cwd=target, input=b"".join(stream), check=True)
    git(target, "reset", "-q", "--hard", "main")
    marker.write_text(followed_id, encoding="utf-8")
    return target, followed_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=12000)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    root, hid = build(args.households, args.commits, args.seed)
    built = time.perf_counter() - started
    found = git(root, "grep", "-l", "-F", hid, "HEAD", "--", "households").split()
    path = next(f.split(":", 1)[1] for f in found if f.endswith(f"/{hid}.yaml"))
    count = len(git(root, "rev-list", "HEAD").split())
    gridctl = gridctl_command()

    def run(cmd: list[str]) -> None:
        subprocess.run(cmd, cwd=root, capture_output=True, check=True)

    def first_log() -> float:
        """One `gridctl log` with nothing kept, timed without the removal."""
        shutil.rmtree(root / ".git" / "gridctl", ignore_errors=True)
        started = time.perf_counter()
        run([*gridctl, "log"])
        return time.perf_counter() - started

    rows = [
        ("gridctl history " + hid, best_of(3, lambda: run([*gridctl, "history", hid]))),
        ("git log --follow -p -- FILE", best_of(3, lambda: run(["git", "log", "--follow", "-p", "--", path]))),
        ("gridctl log (whole history)", best_of(3, lambda: run([*gridctl, "log"]))),
        ("git log --name-only", best_of(3, lambda: run(["git", "log", "--name-only"]))),
        ("gridctl log, nothing kept", min(first_log() for _ in range(3))),
    ]
    versions = subprocess.run(
        [*gridctl, "--lang", "en", "history", hid], cwd=root, capture_output=True, text=True
    ).stdout.splitlines()[0]
    print(f"audit-trail benchmark: {args.households:,} households, {count:,} commits; {root} (built in {built:.1f} s)")
    print(f"followed household: {hid} ({versions}), now at {path}\n")
    print(f"{'step':34} {'seconds':>8}")
    for label, seconds in rows:
        print(f"{label:34} {seconds:8.3f}")
    print(f"\nhistory / git log --follow -p:  {rows[0][1] / rows[1][1]:.2f}×  (goal: within 2×)")
    print(f"log / git log --name-only:      {rows[2][1] / rows[3][1]:.2f}×  (goal: within 2×)")
    print(f"first log / git log --name-only: {rows[4][1] / rows[3][1]:.2f}×  (goal: within 3×)")


if __name__ == "__main__":
    main()
