"""A Python package that reading an input needs and cannot be imported: one line saying what to install.

trafilatura, justext, lxml and feedparser are imported when the first web page or feed is read. A
package missing from the environment (`lxml_html_clean`, which justext asks for through an extra
that the pip bundled with `python3 -m venv` 23.x does not understand) then fails that input, with
`import_failure(name, error)`: an `InputError` such as

    page.html: needs the Python package lxml_html_clean: pip install lxml_html_clean

It is transient, so a feed entry it failed is tried again once the package is installed.
"""

from __future__ import annotations

import re

from ..errors import InputError

# Import names whose package on PyPI is called otherwise.
_DISTRIBUTIONS = {
    "justext": "jusText",
    "sgmllib": "sgmllib3k",
    "dateutil": "python-dateutil",
    "charset_normalizer": "charset-normalizer",
    "yaml": "PyYAML",
}
_NO_MODULE = re.compile(r"No module named '([\w.]+)'")


def _missing_module(error: BaseException) -> str | None:
    """The module that could not be found: the error's own, or one it was raised from or while
    handling (lxml.html.clean raises a plain ImportError `from None` over lxml_html_clean's)."""
    seen = 0
    cause: BaseException | None = error
    while cause is not None and seen < 8:
        if isinstance(cause, ModuleNotFoundError):
            match = _NO_MODULE.search(str(cause))
            name = cause.name or (match.group(1) if match else None)
            if name:
                return name
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return None


def package_of(module: str) -> str:
    """The name to `pip install` for an import name: its top-level package, as PyPI calls it."""
    top = module.split(".")[0]
    return _DISTRIBUTIONS.get(top, top)


def import_failure(name: object, error: ImportError) -> InputError:
    """The one-line, transient `InputError` for input `name` (a URL, file or feed entry) whose reading
    met `error`: the package to install when a module is missing, else what could not be imported."""
    module = _missing_module(error)
    if module is not None:
        package = package_of(module)
        return InputError(name, f"needs the Python package {package}: pip install {package}", transient=True)
    said = (str(error).splitlines() or [""])[0][:200]
    if error.name:
        package = package_of(error.name)
        reason = f"cannot import from the Python package {package} ({said}): pip install --upgrade {package}"
    else:
        reason = f"cannot import a Python package it needs ({said}): reinstall brief"
    return InputError(name, reason, transient=True)
