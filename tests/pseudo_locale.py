"""A pseudo-locale for finding words that never went through gettext (issue 26).

Every message of every catalogue the site reads (Django's, its contrib apps', allauth's, Reflect's)
is rewritten letter by letter into look-alikes: "Post reflection" becomes "Þöšţ ŕéƒĺéçţíöñ", with
its placeholders, tags and entities kept. The catalogue is compiled into a language "xx" that the
site is then switched to. A page rendered in it shows no plain ASCII word except the ones that were
never translated (and data, which the tests write in look-alikes too).
"""

import functools
import html
import re
import zoneinfo
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.apps import apps
from django.conf import locale as django_locale
from django.conf import settings

CODE = "xx"
_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALIKE = "áƀçďéƒğĥíĵķĺɱñöþʠŕšţüṽŵẋýžÅƁÇĎÉƑĞĤÍĴĶĹṀÑÖÞǪŔŠŢÜṼŴẊÝŽ"
_TO_ALIKE = str.maketrans(_PLAIN, _ALIKE)
# What a message keeps as it is: printf and brace placeholders, HTML tags and entities.
_KEEP = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]|\{[^{}]*\}|<[^>]*>|&#?\w+;"
)


def pseudo(text: str) -> str:
    """``text`` in look-alike letters, placeholders, tags and entities untouched."""
    out, last = [], 0
    for match in _KEEP.finditer(text):
        out.append(text[last : match.start()].translate(_TO_ALIKE))
        out.append(match.group(0))
        last = match.end()
    out.append(text[last:].translate(_TO_ALIKE))
    return "".join(out)


def _catalogue_paths(language: str = "es") -> list[Path]:
    """The ``django`` catalogues of ``language`` where Django looks for them: its own, each
    installed app's, then LOCALE_PATHS. Spanish holds every message id (translated or not)."""
    bases = [Path(django_locale.__file__).parent]
    bases += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    bases += [Path(path) for path in settings.LOCALE_PATHS]
    found = []
    for base in bases:
        po = base / language / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if po.exists():
            found.append(po)
        elif mo.exists():
            found.append(mo)
    return found


@functools.cache
def build(directory: Path) -> Path:
    """Write the pseudo catalogue under ``directory`` (a LOCALE_PATHS entry) and return it."""
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": CODE,
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen = set()
    for path in _catalogue_paths():
        source = polib.pofile(str(path)) if path.suffix == ".po" else polib.mofile(str(path))
        for entry in source:
            key = (entry.msgctxt, entry.msgid)
            if not entry.msgid or key in seen or entry.obsolete:
                continue
            seen.add(key)
            if entry.msgid_plural:
                forms = {0: pseudo(entry.msgid), 1: pseudo(entry.msgid_plural)}
                catalogue.append(
                    polib.POEntry(
                        msgctxt=entry.msgctxt,
                        msgid=entry.msgid,
                        msgid_plural=entry.msgid_plural,
                        msgstr_plural=forms,
                    )
                )
            else:
                catalogue.append(
                    polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=pseudo(entry.msgid))
                )
    target = directory / CODE / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    catalogue.save_as_mofile(str(target / "django.mo"))
    return directory


# --- Finding English --------------------------------------------------------------------------------

# Words that are the same in every language: the product's name and the names of formats and keys.
UNTRANSLATABLE = frozenset(
    {"Reflect", "Markdown", "PDF", "CSV", "JSON", "LTI", "xAPI", "SSO", "HTML", "Ctrl", "Cmd", "Enter", "UTC"}
)
_READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description", "aria-roledescription"}
_SKIPPED_ELEMENTS = {"script", "style", "template", "code", "pre", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_NOT_WORDS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # email addresses
    r"|\b[a-z][a-z0-9+.-]*://\S+"  # addresses
    r"|(?<![\w/])/[\w./?=&%#-]*"  # paths
    r"|\b[A-Za-z_]+(?:/[A-Za-z_+-]+)+"  # time zone names (Europe/London): identifiers, not words
    r"|\b[\w-]+\.(?:pdf|csv|md|json|mo|po)\b"  # file names
)
_ENGLISH_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z]{2,}(?![^\W\d_])")


_ZONES = frozenset(zoneinfo.available_timezones())


class _VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes, and the attributes read aloud or shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self._option_value = attributes.get("value") if tag == "option" else None
        for name in _READ_ATTRIBUTES & attributes.keys():
            self.parts.append(attributes[name] or "")
        if (
            tag == "input"
            and attributes.get("type") in {"submit", "button", "reset"}
            and attributes.get("value")
        ):
            self.parts.append(attributes["value"])
        if tag == "meta" and attributes.get("name") == "description":
            self.parts.append(attributes.get("content") or "")
        if tag in _SKIPPED_ELEMENTS and tag not in _VOID:
            self._skipping.append(tag)

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if self._skipping:
            return
        value = getattr(self, "_option_value", None)
        if value in _ZONES and data.strip() == value.replace("_", " "):
            return  # an option that shows its own value: a time zone's name, an identifier
        self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _VisibleText()
    parser.feed(page)
    parser.close()
    return "\n".join(parser.parts)


def english(text: str, *, data: tuple[str, ...] = (), is_html: bool = False) -> list[str]:
    """The plain English words in ``text`` (a page's HTML, or the text of an email or export),
    leaving out ``data`` (handles and the like, which are the members' and never translated)."""
    text = visible_text(text) if is_html else html.unescape(text)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = _NOT_WORDS.sub(" ", text)
    found = []
    for line in text.splitlines():
        for word in _ENGLISH_WORD.findall(line):
            if word not in UNTRANSLATABLE:
                found.append(f"{word!r} in {line.strip()[:100]!r}")
    return found
