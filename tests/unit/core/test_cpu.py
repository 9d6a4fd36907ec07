"""Sharing the event loop: a request yields between its stages, never while it holds written rows.

Run in a fresh interpreter patched by gevent, as ``community run`` serves: the test process
itself is not patched, and there ``cooperate`` rightly does nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.sqlite_only(reason="its own SQLite app in a subprocess: no --db")

SCRIPT = """
from gevent import monkey
monkey.patch_all()

import json, sys
import gevent
from sqlalchemy import update
from community import create_app
from community.core.cpu import cooperate
from community.core.events import commit
from community.extensions import db
from community.members.models import Tier

app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1] + "/db.sqlite",
                  "INSTANCE_PATH": sys.argv[1], "RUN_JOBS": False})
ran = []

def others_ran_during(step):
    ran.clear()
    gevent.spawn(ran.append, "other request")
    step()
    yielded = bool(ran)
    gevent.sleep(0)  # let the waiting greenlet finish either way
    return yielded

with app.app_context():
    # The one table the steps touch: what is measured is the session, not the schema.
    Tier.__table__.create(db.engine)
    seen = {"reading": others_ran_during(
        lambda: (db.session.get(Tier, 1), cooperate()))}
    db.session.add(Tier(slug="new", name="New", rank=99))
    db.session.flush()
    seen["after a flush"] = others_ran_during(cooperate)
    commit()
    seen["after the commit"] = others_ran_during(cooperate)
    db.session.execute(update(Tier).where(Tier.slug == "new").values(name="Renamed"))
    seen["after an UPDATE statement"] = others_ran_during(cooperate)
    db.session.rollback()
    seen["after a rollback"] = others_ran_during(cooperate)
print(json.dumps(seen))
"""


def test_cooperate_yields_only_when_no_written_rows_are_held(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen == {
        "reading": True,
        "after a flush": False,
        "after the commit": True,
        "after an UPDATE statement": False,
        "after a rollback": True,
    }
