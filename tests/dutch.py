"""Dutch copy as it arrives (issue #21), shared by the reader, layout and pipeline tests: whole
paragraphs, and the same paragraphs hard-wrapped as wire copy and CMS exports send them."""

from __future__ import annotations

import textwrap

BRAND = (
    "De brandweer rukte rond middernacht uit naar een loods aan de haven van Vlissingen. Het vuur sloeg "
    "snel over naar een tweede loods, waarin kunstmest lag opgeslagen. Omwonenden moesten ramen en "
    "deuren sluiten. De rookpluim was tot in Middelburg te zien."
)
MAYOR = (
    "Burgemeester Jansen sprak van een ‘zwarte nacht’ voor de stad. Volgens hem is het een wonder dat "
    "er geen gewonden vielen. De politie onderzoekt de oorzaak van de brand; brandstichting wordt niet "
    "uitgesloten."
)
RIVER = (
    "Rijkswaterstaat verwacht dat de Schelde donderdag weer open gaat voor de scheepvaart. Tot die tijd "
    "liggen tientallen schepen voor anker bij Terneuzen, waar de sluis al sinds maandag dicht is."
)


def hard_wrapped(paragraphs: list[str], width: int, separator: str = "\n\n") -> str:
    """`paragraphs` wrapped at `width` columns, separated by `separator` (a blank line, or none)."""
    return separator.join(textwrap.fill(paragraph, width) for paragraph in paragraphs)
