"""Issue #21 item 7: a Python package missing for the page reader fails those inputs only, in one line each.

The page reader (`sources.extract_page`, trafilatura's) is replaced by a test double that fails its
import as a venv without `lxml_html_clean` does; the saved page, the URL and the feed's linked pages
each get one line naming the package to install, and the plain-text article is still briefed.
"""

from __future__ import annotations

from typer.testing import CliRunner

from translate_summarize import sources
from translate_summarize.cli import app
from translate_summarize.sources.packages import import_failure

from ..conftest import MODEL_ARGS
from ..httpserver import WEB

runner = CliRunner()
NEEDS = "needs the Python package lxml_html_clean: pip install lxml_html_clean"


class MissingModule:
    """A reader whose import fails: a bare ModuleNotFoundError, or as lxml.html.clean words it (a
    plain ImportError raised `from None` while the ModuleNotFoundError is handled). Counts its calls."""

    def __init__(self, like_lxml: bool):
        self.like_lxml = like_lxml
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if not self.like_lxml:
            raise ModuleNotFoundError("No module named 'lxml_html_clean'", name="lxml_html_clean")
        try:
            raise ModuleNotFoundError("No module named 'lxml_html_clean'", name="lxml_html_clean")
        except ImportError:
            raise ImportError(
                "lxml.html.clean module is now a separate project lxml_html_clean.\n"
                "Install lxml[html-clean] or lxml_html_clean directly."
            ) from None


def test_a_missing_package_is_one_line_per_input_and_the_text_file_is_briefed(web_site, tmp_path, monkeypatch):
    reader = MissingModule(like_lxml=False)
    monkeypatch.setattr(sources, "extract_page", reader)
    page, text = tmp_path / "fietsenstalling.html", tmp_path / "artikel.txt"
    page.write_bytes((WEB / "fietsenstalling.html").read_bytes())
    text.write_bytes((WEB / "artikel.txt").read_bytes())
    url = web_site.url("/pages/woningbouw.html")
    feed = web_site.url("/feeds/atom.xml")  # two entries with summaries only: their linked pages are read
    out = tmp_path / "out"
    args = [str(page), url, str(text), "--feed", feed, "--allow-private-addresses", "--out-dir", str(out)]
    result = runner.invoke(app, [*args, "--format", "text", *MODEL_ARGS])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr and not isinstance(result.exception, ImportError), result.stderr
    failed = [
        web_site.url("/etag/woningbouw.html"),
        web_site.url("/last-modified/fietsenstalling.html"),
        url,
        str(page),
    ]
    lines = [line for line in result.stderr.splitlines() if "lxml_html_clean" in line]
    assert sorted(lines) == sorted(f"brief: ERROR: {name}: {NEEDS}" for name in failed), result.stderr
    assert "1 briefed, 0 unchanged, 4 failed" in result.stderr
    assert result.stdout.count("Briefed: ") == 1 and "Source:  artikel.txt" in result.stdout
    assert reader.calls == 4


def test_the_line_names_what_to_install():
    try:
        MissingModule(like_lxml=True)()
    except ImportError as error:
        lxml_said = error
    assert str(import_failure("a.html", lxml_said)) == f"a.html: {NEEDS}"  # lxml's own ImportError names no module
    missing = ModuleNotFoundError("No module named 'justext.core'", name="justext.core")
    assert str(import_failure("a.html", missing)) == "a.html: needs the Python package jusText: pip install jusText"
    assert import_failure("a.html", missing).transient  # a feed entry is tried again once it is installed
    old = ImportError("cannot import name 'Cleaner' from 'lxml.html'", name="lxml.html")
    assert str(import_failure("a.html", old)) == (
        "a.html: cannot import from the Python package lxml (cannot import name 'Cleaner' from 'lxml.html'): "
        "pip install --upgrade lxml"
    )
