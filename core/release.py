"""A digest of this release's code, templates and static files, computed once per process: part
of the key of anything kept in the shared cache that the code shapes (a kept page), so that a
deploy never serves what the previous release rendered."""

import hashlib
import os
from functools import cache
from pathlib import Path

from django.conf import settings

_SKIPPED = {".venv", ".git", "tests", "benchmarks", "node_modules", "__pycache__", "staticfiles"}
_SUFFIXES = {".py", ".html", ".css", ".js", ".svg", ".txt", ".mo"}  # .mo: new translations, a new release


@cache
def digest() -> str:
    root = Path(settings.BASE_DIR)
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in _SKIPPED and not name.startswith(".")]
        files += [Path(folder, name) for name in names if Path(name).suffix in _SUFFIXES]
    sha = hashlib.sha1(usedforsecurity=False)
    for path in sorted(files):
        sha.update(str(path.relative_to(root)).encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()[:12]
