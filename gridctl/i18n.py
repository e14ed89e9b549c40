"""Which language to speak: Chinese when asked or when the locale is Chinese, else English."""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

LANGS = ("zh", "en")


def detect_lang(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    for var in ("GRIDCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith(("zh", "chinese")) else "en"
    try:
        name = locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    return "zh" if name.lower().startswith(("zh", "chinese")) else "en"
