"""The demo's council beyond its five sign-in accounts: forty peers over every tier, level,
company and region, drawn from written lists with a seeded generator so every seed is the same
and no two people share a name or an employer's title twice."""

from __future__ import annotations

import random

FIRST_NAMES = [
    "Amara", "Bjorn", "Chiara", "Daniel", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jonas",
    "Kavya", "Liam", "Mei", "Nadia", "Oscar", "Paula", "Rafael", "Sofia", "Tariq", "Ursula",
    "Vikram", "Wen", "Yara", "Zoe", "Andre", "Beatriz", "Connor", "Dalia", "Emeka", "Freya",
    "Gustavo", "Hanna", "Ivan", "Julia", "Kenji", "Lucia", "Mateo", "Noor", "Olu", "Petra",
]  # fmt: skip
LAST_NAMES = [
    "Adeyemi", "Lindqvist", "Romano", "Okafor", "Petrova", "Haddad", "O'Neill", "Tanaka",
    "Duarte", "Weber", "Iyer", "Murphy", "Zhang", "Karimi", "Nilsson", "Ferreira", "Gomez",
    "Rossi", "Aziz", "Brandt", "Mehta", "Liu", "Mansour", "Laurent", "Costa", "Almeida",
    "Walsh", "Cohen", "Nwosu", "Hansen", "Silva", "Kowalski", "Novak", "Schmidt", "Sato",
    "Moreno", "Alvarez", "Rahman", "Bello", "Horvath",
]  # fmt: skip
COMPANIES = [
    "Alpine Ski House", "Bellows College", "Coho Winery", "Consolidated Messenger",
    "Fourth Coffee", "Graphic Design Institute", "Humongous Insurance", "Lamna Healthcare",
    "Lucerne Publishing", "Margie's Travel", "Nod Publishers", "Relecloud", "School of Fine Art",
    "Southridge Video", "Trey Research", "VanArsdel", "Wide World Importers", "Woodgrove Bank",
    "Blue Yonder Airlines", "City Power & Light",
]  # fmt: skip
REGIONS = ["North America", "Europe", "Asia Pacific", "Latin America", "Middle East & Africa"]
# (level, titles at that level, tier they usually sit in)
LEVELS = [
    ("c_suite", ["Chief Marketing Officer", "Chief Communications Officer",
                 "Chief Customer Officer", "Chief Digital Officer"], "council"),
    ("evp", ["EVP Marketing", "EVP Corporate Affairs"], "council"),
    ("svp", ["SVP Brand", "SVP Communications", "SVP Customer Experience"], "executive"),
    ("vp", ["VP Social Media", "VP Digital Marketing", "VP Corporate Communications",
            "VP Community"], "executive"),
    ("director", ["Director of Social Strategy", "Director, Brand Reputation",
                  "Director of Employee Advocacy", "Director, Social Listening",
                  "Director of Community"], "strategist"),
]  # fmt: skip
PEERS = 40


def council_peers(seed: int = 2026) -> list[tuple[str, str, str, str, str, str, str]]:
    """(email, name, title, level, company, region, tier) for the demo's peers: distinct names
    and emails; levels weighted towards directors and VPs, as a real council is."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo people, not security
    lasts = rng.sample(LAST_NAMES, k=PEERS)
    weights = [2, 1, 2, 3, 4]
    peers = []
    for n, first in enumerate(rng.sample(FIRST_NAMES, k=PEERS)):
        last = lasts[n]
        level, titles, tier = rng.choices(LEVELS, weights=weights)[0]
        company = COMPANIES[n % len(COMPANIES)]
        domain = "".join(ch for ch in company.lower() if ch.isalnum())[:14]
        local = "".join(ch for ch in f"{first}.{last}".lower() if ch.isalnum() or ch == ".")
        peers.append(
            (
                f"{local}@{domain}.example",
                f"{first} {last}",
                rng.choice(titles),
                level,
                company,
                REGIONS[(n * 3 + rng.randrange(2)) % len(REGIONS)],
                tier,
            )
        )
    return peers
