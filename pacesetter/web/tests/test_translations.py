"""English and Simplified Chinese: every UI string has a translation, the compiled catalogue
matches its source, and a user switches the language from any page."""

from __future__ import annotations

import gettext
import json
import re
from pathlib import Path

from django.urls import reverse

from pacesetter.conftest import PASSWORD

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def _entries() -> list[dict[str, str]]:
    """msgctxt (when there is one), msgid, msgid_plural and msgstr (or msgstr[0]) of every
    entry of the .po file."""
    found, current, key = [], {}, None
    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines():
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) (".*")$', line)
        if match:
            key = match[1].replace("[0]", "")
            if key in ("msgctxt", "msgid") and "msgstr" in current:
                found.append(current)
                current = {}
            current[key] = json.loads(match[2])
        elif line.startswith('"') and key:
            current[key] += json.loads(line)
    found.append(current)
    return [e for e in found if e.get("msgid")]


def test_every_string_is_translated():
    untranslated = [e["msgid"] for e in _entries() if not e.get("msgstr")]
    assert untranslated == []


def test_the_compiled_catalogue_matches_its_source():
    """`pacesetter compilemessages` after editing the .po file (the .mo is committed)."""
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = [e["msgid"] for e in _entries() if _compiled(catalogue, e) != e["msgstr"]]
    assert stale == []


def _compiled(catalogue: gettext.GNUTranslations, e: dict[str, str]) -> str:
    """What the compiled catalogue says for an entry of the .po file."""
    if "msgctxt" in e:
        if "msgid_plural" in e:
            return catalogue.npgettext(e["msgctxt"], e["msgid"], e["msgid_plural"], 1)
        return catalogue.pgettext(e["msgctxt"], e["msgid"])
    if "msgid_plural" in e:
        return catalogue.ngettext(e["msgid"], e["msgid_plural"], 1)
    return catalogue.gettext(e["msgid"])


def test_a_user_switches_to_chinese_and_back(client, web_org):
    client.login(username="alice", password=PASSWORD)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "我的目标" in page and "产品演示" in page  # the page and the metric names
    assert "销售代表" in page  # the role
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "My goals" in client.get(reverse("home")).content.decode()
