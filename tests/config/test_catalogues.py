"""The translation catalogues (issue 26): every locale/<lang>/LC_MESSAGES/django.po has its compiled
.mo beside it, and the .mo is what compiling the .po gives now (`make compilemessages` was run after
the last change to the .po). Compiling needs GNU gettext's msgfmt (Debian: gettext; .ci/run
installs it), as Django's compilemessages does."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))  # django.po, and djangojs.po for static/js
MSGFMT = shutil.which("msgfmt")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def test_every_language_but_the_source_one_has_a_catalogue():
    languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert {path.parts[-3] for path in CATALOGUES} == languages


@pytest.mark.skipif(MSGFMT is None and not IN_CI, reason="no msgfmt (Debian package gettext)")
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: f"{path.parts[-3]}/{path.stem}")
def test_the_compiled_catalogue_is_current(po, tmp_path):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make compilemessages`"
    fresh = tmp_path / mo.name
    # What Django's compilemessages runs for each .po.
    subprocess.run([MSGFMT or "msgfmt", "--check-format", "-o", fresh, po], check=True, capture_output=True)
    assert fresh.read_bytes() == mo.read_bytes(), f"{mo} is older than {po.name}: run `make compilemessages`"


def test_the_catalogues_are_read():
    with translation.override("es"):
        assert translation.gettext("Language") == "Idioma"
    with translation.override("ar"):
        assert translation.gettext("Language") == "اللغة"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: f"{path.parts[-3]}/{path.stem}")
def test_every_string_is_translated(po):
    """Spanish and Arabic ship complete: no message without a translation, none left fuzzy."""
    polib = pytest.importorskip("polib")
    catalogue = polib.pofile(str(po))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated and not fuzzy, (
        f"{po}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy, e.g. {(untranslated + fuzzy)[:5]}"
    )
