"""Levels: a person's role in their own organization, from the top down."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    C_SUITE = "c_suite"
    EVP = "evp"
    SVP = "svp"
    VP = "vp"
    DIRECTOR = "director"
    MANAGER = "manager"
    INDIVIDUAL = "individual"

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def seniority(self) -> int:
        """Higher is more senior: C-Suite is 7, Individual contributor is 1."""
        return len(LEVEL_ORDER) - LEVEL_ORDER.index(self)


LEVEL_ORDER: list[Level] = list(Level)
LEVEL_LABELS: dict[Level, str] = {
    Level.C_SUITE: "C-Suite",
    Level.EVP: "EVP",
    Level.SVP: "SVP",
    Level.VP: "VP",
    Level.DIRECTOR: "Director",
    Level.MANAGER: "Manager",
    Level.INDIVIDUAL: "Individual contributor",
}
LEVEL_CHOICES: list[tuple[str, str]] = [(level.value, level.label) for level in LEVEL_ORDER]
