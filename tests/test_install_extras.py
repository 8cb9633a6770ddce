"""Issue #21 item 7: what brief's dependencies ask for through an extra, brief asks for by name.

The pip that `python3 -m venv` bundles (23.x) does not match an extra spelled `html_clean` to lxml's
`html-clean` (PEP 685's normalisation came later): justext's `lxml[html_clean]` then installs lxml
alone, and every web page, URL and feed fails to import lxml.html.clean. So every package that an
installed dependency (brief's own, or theirs) gets through an extra must be one of brief's own
dependencies in pyproject.toml, which any pip installs. The install with that pip itself is
`scripts/check-plain-pip` (the second step of `.ci/run`).
"""

from __future__ import annotations

import importlib.metadata
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import ROOT


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def _requires(name: str) -> list[Requirement]:
    try:
        return [Requirement(line) for line in importlib.metadata.requires(name) or ()]
    except importlib.metadata.PackageNotFoundError:
        return []


def _through_extras() -> dict[str, str]:
    """Each package an installed dependency gets only through an extra -> the requirement that asks."""
    found: dict[str, str] = {}
    todo = [(requirement, "pyproject.toml") for requirement in _declared()]
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement, asker = todo.pop()
        seen = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if seen in done or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        done.add(seen)
        for needed in _requires(requirement.name):
            if needed.marker is None or needed.marker.evaluate({"extra": ""}):
                todo.append((needed, requirement.name))
            elif any(needed.marker.evaluate({"extra": extra}) for extra in requirement.extras):
                found[canonicalize_name(needed.name)] = f"{asker}: {requirement}"
                todo.append((Requirement(str(needed).split(";")[0]), requirement.name))
    return found


def test_packages_wanted_through_extras_are_declared_by_name():
    declared = {canonicalize_name(requirement.name) for requirement in _declared()}
    wanted = _through_extras()
    assert "lxml-html-clean" in wanted  # justext's lxml[html_clean]: the walk sees the case of the issue
    assert {name: asker for name, asker in wanted.items() if name not in declared} == {}
