"""Attachments: checked by their content (not only their name), stored under a generated name
in ``instance/uploads/``, and read back only through the access-checked download view."""

from __future__ import annotations

import io
import secrets
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from community.core.errors import DomainError

# Characters a shown file name may keep; anything else becomes "_".
_SAFE_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-()")


@dataclass(frozen=True)
class FileType:
    extension: str
    mimetype: str
    label: str
    zip_entry: str = ""  # for ZIP containers: an entry only this kind of document has
    odf_mimetype: str = ""  # for OpenDocument: the content of its "mimetype" entry


OOXML = "application/vnd.openxmlformats-officedocument"
ODF = "application/vnd.oasis.opendocument"
FILE_TYPES = {
    t.extension: t
    for t in (
        FileType("pdf", "application/pdf", "PDF"),
        FileType("docx", f"{OOXML}.wordprocessingml.document", "Word", "word/document.xml"),
        FileType("pptx", f"{OOXML}.presentationml.presentation", "Slides", "ppt/presentation.xml"),
        FileType("xlsx", f"{OOXML}.spreadsheetml.sheet", "Spreadsheet", "xl/workbook.xml"),
        FileType("odt", f"{ODF}.text", "Document", odf_mimetype=f"{ODF}.text"),
        FileType("odp", f"{ODF}.presentation", "Slides", odf_mimetype=f"{ODF}.presentation"),
    )
}
ACCEPTED = ", ".join(f".{ext}" for ext in FILE_TYPES)


@dataclass(frozen=True)
class Upload:
    """A file as the member sent it: the name their browser gave and the bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class StoredFile:
    key: str
    name: str
    mimetype: str
    size: int


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_upload(upload: Upload) -> FileType:
    """The file's type, or a DomainError on the ``attachment`` field saying what is wrong."""
    name = upload.filename
    if any(c in name for c in "/\\\0") or ".." in name or name.startswith("."):
        raise DomainError(
            "Give the file a plain name such as report.pdf (no folders or '..').",
            field="attachment",
        )
    limit_mb = current_app.config["LIBRARY_MAX_UPLOAD_MB"]
    if len(upload.data) > limit_mb * 1024 * 1024:
        raise DomainError(f"Files can be up to {limit_mb} MB.", field="attachment")
    if not upload.data:
        raise DomainError("The file is empty.", field="attachment")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    file_type = FILE_TYPES.get(extension)
    if file_type is None:
        raise DomainError(f"Attach a PDF or a document ({ACCEPTED}).", field="attachment")
    if not _content_matches(file_type, upload.data):
        raise DomainError(
            f"This file is not really a {file_type.label} (.{extension}) file.",
            field="attachment",
        )
    return file_type


def _content_matches(file_type: FileType, data: bytes) -> bool:
    if file_type.extension == "pdf":
        return data.startswith(b"%PDF-")
    if not data.startswith(b"PK\x03\x04"):
        return False
    _check_zip_limits(file_type, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            _check_unpacked_size(file_type, entries)
            if file_type.odf_mimetype:
                return _odf_mimetype_matches(archive, entries, file_type.odf_mimetype.encode())
            names = {entry.filename for entry in entries}
            return "[Content_Types].xml" in names and file_type.zip_entry in names
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error):
        return False


# Documents are ZIP containers, and a few kilobytes of ZIP can declare gigabytes (a "zip
# bomb"). So nothing is inflated before these limits are checked against what the archive
# declares, and the one entry that is read (an OpenDocument "mimetype") is read with a bound.
MAX_ZIP_ENTRIES = 5_000  # a 300-slide deck has about 2,000
MAX_CENTRAL_DIRECTORY_BYTES = MAX_ZIP_ENTRIES * 1_024  # bounds the parse before the count
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
_MAX_ZIP_COMMENT = 65_535


def _check_zip_limits(file_type: FileType, data: bytes) -> None:
    """Refuse archives with too many entries from their end record, before ``zipfile`` parses
    the central directory (which it would do whole, however many entries it holds)."""
    end = data.rfind(_END_OF_CENTRAL_DIRECTORY, max(0, len(data) - 22 - _MAX_ZIP_COMMENT))
    if end < 0 or len(data) < end + 22:
        return  # not a ZIP after all: zipfile refuses it and the caller says so
    entry_count = int.from_bytes(data[end + 10 : end + 12], "little")
    directory_size = int.from_bytes(data[end + 12 : end + 16], "little")
    if entry_count > MAX_ZIP_ENTRIES or directory_size > MAX_CENTRAL_DIRECTORY_BYTES:
        raise _too_many_parts(file_type)


def _check_unpacked_size(file_type: FileType, entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _too_many_parts(file_type)
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise DomainError(
            f"This {file_type.label} (.{file_type.extension}) file would unpack to more than "
            f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB; real documents are far smaller.",
            field="attachment",
        )


def _too_many_parts(file_type: FileType) -> DomainError:
    return DomainError(
        f"This {file_type.label} (.{file_type.extension}) file has more than "
        f"{MAX_ZIP_ENTRIES:,} parts; real documents have far fewer.",
        field="attachment",
    )


def _odf_mimetype_matches(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], expected: bytes
) -> bool:
    """The OpenDocument rule: the first entry is "mimetype", stored (not compressed), holding
    exactly the document's MIME type. Its declared size is checked before it is read, and the
    read is bounded, so a lying header cannot make us inflate more than a few bytes."""
    first = entries[0] if entries else None
    if (
        first is None
        or first.filename != "mimetype"
        or first.compress_type != zipfile.ZIP_STORED
        or first.file_size != len(expected)
    ):
        return False
    with archive.open(first) as entry:
        return entry.read(len(expected) + 1) == expected


def display_name(filename: str, file_type: FileType) -> str:
    """The name the download offers: the member's name with unusual characters replaced."""
    stem = filename.rsplit(".", 1)[0]
    safe = "".join(c if c in _SAFE_NAME_CHARS else "_" for c in stem).strip(" ._")[:150]
    return f"{safe or 'attachment'}.{file_type.extension}"


def store(upload: Upload) -> StoredFile:
    """Check and write the file under a generated name. Callers check before their commit and
    store only once nothing else can fail, so a rejected form leaves no file behind."""
    file_type = check_upload(upload)
    key = f"{secrets.token_hex(16)}.{file_type.extension}"
    (upload_folder() / key).write_bytes(upload.data)
    return StoredFile(
        key, display_name(upload.filename, file_type), file_type.mimetype, len(upload.data)
    )


def path_of(key: str) -> Path:
    # Keys are generated by ``store``; refuse anything else rather than trusting the row.
    if not key or "/" in key or "\\" in key or key.startswith("."):
        raise FileNotFoundError(key)
    return upload_folder() / key


def remove(key: str) -> None:
    if key:
        path_of(key).unlink(missing_ok=True)
