"""The console entry (`gridctl`, `python -m gridctl`): gridctl's start, a quarter of a second of
importing typer, pydantic and its own modules, is not yet under the Ctrl-C handling of
gridctl.cli.main.run. A Ctrl-C there showed a bare traceback (or, once, exit 3 and a crash log);
here it is a stop like any other: 已中止 / Aborted., exit 130."""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from gridctl.cli.main import run as main
    except KeyboardInterrupt:
        stopped()
        return
    main()


def stopped() -> None:
    """Said in the language the command line or the locale asks for, as gridctl says it."""
    try:
        from gridctl.i18n import detect_lang, lang_in

        zh = (lang_in(sys.argv[1:]) or detect_lang()) == "zh"
    except (KeyboardInterrupt, Exception):  # a second Ctrl-C, or no locale: the word still comes
        zh = False
    sys.stderr.write("已中止\n" if zh else "Aborted.\n")
    sys.stderr.flush()
    sys.exit(130)
