"""Brief a saved page, a text file and a feed with an installed `brief`; the check of `scripts/check-plain-pip`.

    VENV/bin/python scripts/plain_pip_brief.py VENV

runs VENV/bin/brief, with the fixture models (tests/fixtures), on the saved page
tests/data/web/fietsenstalling.html, the text file tests/data/web/artikel.txt and the Atom feed
/feeds/atom.xml of the tests' local site (tests/httpserver.py, on 127.0.0.1), whose two entries carry
summaries only, so their linked pages are fetched and extracted (trafilatura, justext, lxml.html.clean).
Prints one line and exits 0 when all four are briefed; else prints what brief said and exits 1. It
uses the standard library only, so it runs in a venv that has nothing but brief installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.httpserver import WEB, LocalSite  # noqa: E402 - after the repository is on the path

FIXTURES = ROOT / "tests" / "fixtures"
MODELS = [
    "--translation-model",
    str(FIXTURES / "tiny-marian-copy"),
    "--summarization-model",
    str(FIXTURES / "tiny-bart-lead"),
]
MODELS += ["--back-translation-model", str(FIXTURES / "tiny-marian-copy"), "--device", "cpu", "--engine", "torch"]
EXPECTED = "4 briefed, 0 unchanged, 0 failed"
TIMEOUT_S = 600


def _environment(home: Path) -> dict[str, str]:
    """The caller's environment without proxies and BRIEF_* settings; caches and config in `home`; offline."""
    proxies = {"http_proxy", "https_proxy", "all_proxy"}
    env = {
        name: value
        for name, value in os.environ.items()
        if name.lower() not in proxies and not name.startswith("BRIEF_")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        HF_HOME=str(home / "hf"),
        HF_HUB_OFFLINE="1",
        NO_PROXY="127.0.0.1,localhost",
    )
    return env


def main(venv: Path) -> int:
    """Brief the three inputs with `venv`'s brief; 0 when all four briefs are written, else 1."""
    brief = venv / "bin" / "brief"
    with tempfile.TemporaryDirectory(prefix="plain-pip-") as folder, LocalSite() as site:
        work = Path(folder)
        inputs = [str(WEB / "fietsenstalling.html"), str(WEB / "artikel.txt"), "--feed", site.url("/feeds/atom.xml")]
        command = [
            str(brief),
            *inputs,
            "--allow-private-addresses",
            "--out-dir",
            str(work / "out"),
            "--format",
            "text",
            *MODELS,
        ]
        try:
            result = subprocess.run(
                command,
                check=False,
                capture_output=True,
                text=True,
                env=_environment(work),
                stdin=subprocess.DEVNULL,
                timeout=TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            print(f"plain pip: {brief} did not finish in {TIMEOUT_S} s", file=sys.stderr)
            return 1
        ok = result.returncode == 0 and EXPECTED in result.stderr and "Traceback" not in result.stderr
        if not ok:
            print(f"plain pip: {brief} exited {result.returncode}; it said:\n{result.stderr[-4000:]}", file=sys.stderr)
            return 1
    print(f"plain pip: {brief} briefed a saved page, a text file and a feed's two linked pages")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
