"""Paths Windows cannot hold, found one at a time and among a whole revision's listing alike."""

from __future__ import annotations

import random

from gridctl.ledger.safepath import windows_unsafe, windows_unsafe_among

PARTS = [
    "households",
    "G001",
    "H000001.yaml",
    "con",
    "CON.yaml",
    "aux.txt",
    "com1",
    "lpt9.yaml",
    "concert",
    "a.",
    "b ",
    "网格",
    "nul",
    "x.yaml",
    "prn.YAML",
    "Com",
    "c. d",
    "",
]


def test_the_listing_search_finds_exactly_what_each_path_search_finds() -> None:
    rng = random.Random(7)
    for _ in range(300):
        rels = ["/".join(rng.choice(PARTS) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 30))]
        if rng.random() < 0.1:
            rels.append("line\nbreak/CON.yaml")  # git allows a newline in a path
        expected = {rel: part for rel in rels if (part := windows_unsafe(rel)) is not None}
        assert windows_unsafe_among(rels) == expected, rels
