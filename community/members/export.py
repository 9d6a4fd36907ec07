"""Export my data: the member asks, the queue worker builds a zip of JSON and CSV files
(``export_data.collect``), stores it under ``instance/exports/`` (never under static) and mails
a link. The link works for seven days and only for the member signed in (a random id checked
against the member, ``access.can_download_export``). One export a day per member: building one
reads everything they ever did.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from community import access
from community.core.clock import utcnow
from community.core.errors import DomainError, NotFound, RateLimited
from community.core.events import commit
from community.core.mail import send_email
from community.core.outbox import enqueue_task
from community.core.security import new_token
from community.core.timefmt import when_text
from community.core.urls import external_url
from community.extensions import db
from community.members.export_activity import Row
from community.members.export_data import collect
from community.members.export_models import DataExport, ExportState
from community.members.export_pictures import picture_files
from community.members.models import Member

BUILD_EXPORT_TASK = "members.build_export"
EXPORT_LIFETIME = timedelta(days=7)
EXPORT_INTERVAL = timedelta(days=1)
EXPORT_GONE = "This export has expired; ask for a new one on this page."
README = """Your Council data, as of {when} (UTC).

Each section comes twice: NAME.json (for programs) and NAME.csv (for spreadsheets).
Your own words are all here: posts, thread titles and messages you wrote, wherever they are
now. Titles of other people's threads, polls, events and resources appear only while you may
still see them; otherwise the row says "(no longer visible to you)". Conversations list your
side only: the other participants' messages and names are theirs.
The pictures you pasted into posts are in the folder pictures/, as members see them;
pictures.csv says which post shows each.
"""


def exports_folder() -> Path:
    folder = Path(current_app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def export_path(export: DataExport) -> Path:
    return exports_folder() / f"{export.key}.zip"


def list_exports(member: Member) -> list[DataExport]:
    return list(
        db.session.scalars(
            select(DataExport)
            .where(DataExport.member_id == member.id)
            .order_by(DataExport.created_at.desc(), DataExport.id.desc())
        )
    )


def request_export(member: Member) -> DataExport:
    """Queue an export for the worker; refused while the last one is less than a day old."""
    latest = db.session.scalars(
        select(DataExport)
        .where(DataExport.member_id == member.id)
        .order_by(DataExport.created_at.desc())
        .limit(1)
    ).first()
    if latest is not None:
        next_allowed = latest.created_at + EXPORT_INTERVAL
        wait = next_allowed - utcnow()
        if wait > timedelta(0):
            raise RateLimited(
                "You can ask for one export a day; the next one from "
                f"{when_text(next_allowed, 'long_datetime', member.time_zone)}.",
                retry_after=int(wait.total_seconds()) + 1,
            )
    key, _ = new_token()
    export = DataExport(member_id=member.id, key=key)
    db.session.add(export)
    db.session.flush()
    enqueue_task(BUILD_EXPORT_TASK, export_id=export.id)
    commit()
    return export


def build_export(export_id: int) -> None:
    """The worker's half: write the zip, mark the export ready and mail the link. An export
    whose member left in the meantime is simply gone (the row cascades away)."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.ready_at is not None:
        return
    member = db.session.get_one(Member, export.member_id)
    now = utcnow()
    path = export_path(export)
    partial = path.with_suffix(".part")
    _write_zip(partial, collect(member), picture_files(member), now.strftime("%Y-%m-%d %H:%M"))
    size = partial.stat().st_size
    partial.replace(path)  # a download never sees half a file
    export.ready_at, export.expires_at, export.size_bytes = now, now + EXPORT_LIFETIME, size
    send_email(
        member.email,
        "Your Council data export is ready",
        "data_export_ready",
        member=member,
        url=external_url("leave.download_export", key=export.key),
        expires_at=export.expires_at,
        zone=member.time_zone or "UTC",
    )
    commit()


def _write_zip(
    target: Path, sections: dict[str, list[Row]], files: list[tuple[str, Path]], when: str
) -> None:
    # Written straight to disk, not built in memory: with pictures an export can run to
    # hundreds of megabytes.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(when=when))
        for name, rows in sections.items():
            archive.writestr(f"{name}.json", json.dumps(rows, indent=2, ensure_ascii=False))
            archive.writestr(f"{name}.csv", _csv(rows))
        for name, path in files:
            # PNG and JPEG are compressed already: stored as they are, at no CPU cost.
            archive.write(path, name, compress_type=zipfile.ZIP_STORED)


# A spreadsheet runs a cell that starts with one of these as a formula; other members' words
# reach the CSV too (a notification reads "@handle replied ..."), so such cells are quoted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(rows: list[Row]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


def get_export_file(member: Member, key: str) -> Path:
    """The zip behind a download link, for its own member only: anyone else's link, a
    queued export or an unknown key answers 404; their own expired one says so."""
    export = db.session.scalars(select(DataExport).where(DataExport.key == key)).first()
    if export is None or not access.can_download_export(member, export):
        raise NotFound("There is no such export.")
    if export.state == ExportState.QUEUED:
        raise NotFound("This export is not ready yet.")
    path = export_path(export)
    if export.state == ExportState.EXPIRED or not path.is_file():
        raise DomainError(EXPORT_GONE)
    return path


def remove_expired_exports() -> int:
    """Delete the files of expired exports (the rows stay, listed as expired): a job."""
    expired = db.session.scalars(
        select(DataExport).where(DataExport.expires_at <= utcnow(), DataExport.size_bytes > 0)
    )
    removed = 0
    for export in list(expired):
        export_path(export).unlink(missing_ok=True)
        export.size_bytes = 0
        removed += 1
    commit()
    return removed


def remove_all_exports(member: Member) -> None:
    """Every export of the member, files and rows, in the caller's unit of work."""
    for export in list_exports(member):
        export_path(export).unlink(missing_ok=True)
        db.session.delete(export)
