"""CI for a ledger: install exactly the gridctl that gridctl.yaml pins, prove it, validate what changed.

A package index holds an unrelated "gridctl" that says "coming soon" and exits 0: a CI that
installs gridctl from an index by its name checks nothing, and runs a stranger's code next to
residents' data. So the
ledger pins its gridctl (`gridctl: {version, source}` in gridctl.yaml, a source its owner controls,
by default the project's own repository at the version's tag); CI reads the pin, installs from that
source, fails loudly unless `gridctl --version` is the pinned version, then runs
`gridctl validate --changed-since` on every push and pull/merge request.

Gitea Actions is the default: a ledger belongs on a server inside the government network, not on a
foreign CI. The reader of the pin is plain Python (no gridctl, no PyYAML), so it runs before
gridctl is installed.
"""

from __future__ import annotations

import textwrap

from gridctl.model.settings import BARE_NAME

CHOICES = ("gitea", "gitlab", "github", "none")
PATHS = {"gitea": ".gitea/workflows/gridctl.yml", "github": ".github/workflows/gridctl.yml", "gitlab": ".gitlab-ci.yml"}

READ_PIN = r'''import re, sys
want = sys.argv[1]
text = open("gridctl.yaml", encoding="utf-8-sig").read().replace("\r\n", "\n")
pin = {}
head = re.search(r"^gridctl:[ \t]*([^\n]*)$", text, re.M)
if head:
    rest = head.group(1).split(" #")[0].strip()
    if rest.startswith("{"):
        items = re.findall(r"(\w+)\s*:\s*(\"[^\"]*\"|'[^']*'|[^,}]+)", rest)
    else:
        block = re.match(r"(?:\n(?:[ \t]+[^\n]*|[ \t]*))*", text[head.end():]).group(0)
        items = re.findall(r"^[ \t]+(\w+)[ \t]*:[ \t]*(\"[^\"]*\"|'[^']*'|[^#\n]*)", block, re.M)
    pin = {key: value.strip().strip("\"'") for key, value in items}
value = pin.get(want, "")
if not value:
    print(f"::error::gridctl.yaml has no gridctl: {{version: ..., source: ...}} pin ({want} missing): "
          "the ledger must say which gridctl checks it / gridctl.yaml 未写明用哪个 gridctl 检查台账", file=sys.stderr)
    sys.exit(1)
if want == "source" and re.fullmatch(r"BARE_NAME", value, re.I):
    print(f"::error::refusing to install {value!r} by its bare name from a package index (an unrelated package "
          "has that name): pin a source the ledger's owner controls, e.g. git+https://.../gridctl@v0.1.0 "
          "/ 拒绝从软件包索引按名称安装 gridctl", file=sys.stderr)
    sys.exit(1)
print(value)
'''

READ_PIN = READ_PIN.replace("BARE_NAME", BARE_NAME)

INSTALL = """\
set -euo pipefail
pin() {{
python3 - "$1" <<'PIN'
{reader}PIN
}}
from=$(pin source)
version=$(pin version)
echo "installing gridctl $version from $from (the pin in gridctl.yaml)"
python3 -m pip install --quiet --disable-pip-version-check "$from"
installed=$(gridctl --version 2>&1 || true)
if [ "$installed" != "gridctl $version" ]; then
  echo "::error::gridctl.yaml pins gridctl $version, but this CI runs '$installed': nothing was checked." \
    "Fix the pin's source or version. / gridctl.yaml 要求 gridctl $version，CI 装的是 '$installed'，未做任何检查"
  exit 1
fi
echo "$installed, as gridctl.yaml pins"
"""

VALIDATE = """\
set -euo pipefail
zero=0000000000000000000000000000000000000000
if [ -n "${{BASE:-}}" ] && [ "$BASE" != "$zero" ] && git cat-file -e "$BASE^{{commit}}" 2>/dev/null; then
  gridctl validate --format {fmt} --changed-since "$BASE"
else
  gridctl validate --format {fmt}  # a new branch or a first push: the whole ledger
fi
"""


def _block(text: str, indent: int) -> str:
    """`text` as a YAML literal block scalar body at `indent` spaces."""
    return textwrap.indent(text, " " * indent)


ACTIONS = """\
# gridctl on this ledger: installs the gridctl that gridctl.yaml pins (gridctl: {{version, source}}),
# fails unless it is that version, then validates what each push or pull request changes.
# {note}
name: gridctl
on:
  push:
  pull_request:
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: install the gridctl that gridctl.yaml pins, and check its version
        shell: bash
        run: |
{install}      - name: gridctl validate --changed-since
        shell: bash
        env:
          BASE: ${{{{ github.event.pull_request.base.sha || github.event.before }}}}
        run: |
{validate}"""

GITLAB = """\
# gridctl on this ledger: installs the gridctl that gridctl.yaml pins (gridctl: {{version, source}}),
# fails unless it is that version, then validates what each push or merge request changes.
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
      when: never
    - if: $CI_COMMIT_BRANCH
gridctl:
  image: python:3.11
  variables:
    GIT_DEPTH: "0"
  script:
    - |
{install}    - |
      BASE="${{CI_MERGE_REQUEST_DIFF_BASE_SHA:-${{CI_COMMIT_BEFORE_SHA:-}}}}"
{validate}"""


def ci_file(kind: str) -> tuple[str, str] | None:
    """(path, text) of the CI file for `kind` (gitea, gitlab, github), or None for none."""
    if kind == "none":
        return None
    install = INSTALL.format(reader=READ_PIN)
    if kind == "gitlab":
        validate = VALIDATE.format(fmt="text")
        return PATHS[kind], GITLAB.format(install=_block(install, 6), validate=_block(validate, 6))
    if kind in ("gitea", "github"):
        validate = VALIDATE.format(fmt="github" if kind == "github" else "text")
        note = (
            "Gitea fetches actions/checkout and actions/setup-python from its DEFAULT_ACTIONS_URL: "
            "mirror them on the server inside the network."
            if kind == "gitea"
            else "GitHub shows problems as annotations on the changed lines."
        )
        text = ACTIONS.format(note=note, install=_block(install, 10), validate=_block(validate, 10))
        return PATHS[kind], text
    raise ValueError(f"unknown CI {kind}; choose one of {', '.join(CHOICES)}")
