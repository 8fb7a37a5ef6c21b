"""The release digest (part of every shared-cache key a page's words are in) changes with the
code, the templates and the compiled translations: a deploy that only corrects a Spanish word
serves no page rendered with the old one."""

from core import release


def test_the_digest_changes_with_a_compiled_catalogue(settings, tmp_path):
    (tmp_path / "app.py").write_text("x = 1\n")
    catalogue = tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.mo"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_bytes(b"one")
    settings.BASE_DIR = tmp_path
    release.digest.cache_clear()
    try:
        first = release.digest()
        release.digest.cache_clear()
        catalogue.write_bytes(b"two")
        assert release.digest() != first
        release.digest.cache_clear()
        (tmp_path / "app.py").write_text("x = 2\n")
        assert release.digest() != first
    finally:
        release.digest.cache_clear()
