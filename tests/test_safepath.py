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
    "H0\t2.yaml",
    "\x1b[31m",
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


def test_a_control_character_in_a_name_is_one_windows_cannot_hold() -> None:
    """Windows refuses 0x01-0x1F in a name: a ledger holding H0\\n1.yaml cannot be checked out there."""
    rels = ["households/G001/H000001.yaml", "households/G001/H0\t2.yaml", "staff/S\x1b[31m.yaml"]
    assert windows_unsafe("households/G001/H0\n1.yaml") == "H0\n1.yaml"
    assert windows_unsafe_among(rels) == {rels[1]: "H0\t2.yaml", rels[2]: "S\x1b[31m.yaml"}
    assert windows_unsafe_among([*rels, "a/H0\n1.yaml"])["a/H0\n1.yaml"] == "H0\n1.yaml"
