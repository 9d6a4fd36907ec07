"""Attachments: accepted by content, refused with a clear error (and nothing stored, the typed
fields kept) when disguised, oversized, empty or named with path tricks."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from community.extensions import db
from community.library.models import Resource

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n%%EOF\n"


def ooxml(entry: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(entry, "<xml/>")
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<xml/>")
    return buffer.getvalue()


def uploads(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return sorted(folder.glob("*")) if folder.exists() else []


def send(client, filename: str, data: bytes, title: str = "Quarterly benchmark"):
    return client.submit(
        "/library/new",
        {
            "kind": "research",
            "title": title,
            "summary": "Typed with care.",
            "min_tier": "strategist",
            "attachment": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("filename", "data", "mimetype"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("deck.pptx", ooxml("ppt/presentation.xml"), "presentationml.presentation"),
        ("memo.docx", ooxml("word/document.xml"), "wordprocessingml.document"),
        ("model.xlsx", ooxml("xl/workbook.xml"), "spreadsheetml.sheet"),
        ("notes.odt", odf("application/vnd.oasis.opendocument.text"), "opendocument.text"),
        ("Ünïcode report (final).PDF", PDF, "application/pdf"),
    ],
)
def test_accepted_documents_are_stored_under_generated_names(
    app, as_member, filename, data, mimetype
):
    client, _ = as_member("editor")
    response = send(client, filename, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    resource = db.session.scalars(select(Resource)).one()
    assert mimetype in resource.attachment_type
    [stored] = uploads(app)
    assert stored.name == resource.attachment_key and stored.read_bytes() == data
    assert filename.rsplit(".", 1)[0] not in stored.name
    assert "/" not in resource.attachment_name


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("invoice.pdf", b"MZ\x90\x00 a Windows program", "not really a PDF"),
        ("slides.pptx", ooxml("word/document.xml"), "not really a Slides"),
        ("memo.docx", b"PK\x03\x04 but not a zip at all", "not really a Word"),
        ("page.html", b"<html><script>alert(1)</script>", "Attach a PDF or a document"),
        ("script.pdf.exe", PDF, "Attach a PDF or a document"),
        ("../../x.pdf", PDF, "plain name"),
        ("..\\..\\x.pdf", PDF, "plain name"),
        (".hidden.pdf", PDF, "plain name"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_bad_files_are_refused_with_the_form_kept(app, as_member, filename, data, message):
    client, _ = as_member("editor")
    response = send(client, filename, data)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in text
    assert 'value="Quarterly benchmark"' in text and "Typed with care." in text
    assert uploads(app) == []
    assert db.session.scalar(select(func.count(Resource.id))) == 0


def test_oversized_files_are_refused_by_the_setting(app, as_member):
    app.config["LIBRARY_MAX_UPLOAD_MB"] = 1
    client, _ = as_member("editor")
    # Encoded in memory: the test client spools large bodies to a file it never closes.
    boundary, body = encode_multipart(
        {
            "csrf_token": client.csrf_token(),
            "kind": "research",
            "title": "Quarterly benchmark",
            "min_tier": "strategist",
            "attachment": FileStorage(io.BytesIO(PDF + b"0" * (1024 * 1024)), "big.pdf"),
        }
    )
    response = client.post(
        "/library/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    assert "Files can be up to 1 MB." in response.get_data(as_text=True)
    assert uploads(app) == []
    assert send(client, "small.pdf", PDF + b"0" * 1000).status_code == 302


def test_a_file_and_a_link_together_are_refused(app, as_member):
    client, _ = as_member("editor")
    response = client.submit(
        "/library/new",
        {
            "kind": "research",
            "title": "Both",
            "min_tier": "strategist",
            "external_url": "https://example.org",
            "attachment": (io.BytesIO(PDF), "both.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "either a file or a link" in response.get_data(as_text=True)
    assert uploads(app) == []


def test_replacing_and_removing_the_file_deletes_the_old_one(app, as_member):
    client, _ = as_member("editor")
    send(client, "first.pdf", PDF)
    resource = db.session.scalars(select(Resource)).one()
    form = {"kind": "research", "title": "Quarterly benchmark", "min_tier": "strategist"}
    client.submit(
        f"/library/{resource.id}/edit",
        form | {"attachment": (io.BytesIO(PDF + b"2"), "second.pdf")},
        content_type="multipart/form-data",
    )
    [stored] = uploads(app)
    assert stored.read_bytes() == PDF + b"2"
    client.submit(f"/library/{resource.id}/edit", form | {"remove_attachment": "y"})
    assert uploads(app) == []
    assert client.get(f"/library/{resource.id}/file").status_code == 404  # no file, no stream


# --- ZIP bombs: refused from what the archive declares, before anything is inflated ----------

ODT = "application/vnd.oasis.opendocument.text"


def real_odt(*extra: tuple[str, bytes]) -> bytes:
    """An OpenDocument text as office suites write it: "mimetype" first and stored, the rest
    deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content>" + "<text:p/>" * 500)
        archive.writestr("styles.xml", "<office:document-styles/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def declare_size(data: bytes, name: bytes, size: int) -> bytes:
    """The archive with the named entry's uncompressed size rewritten in its local and central
    headers: a few bytes that claim to unpack to ``size``."""
    out = bytearray(data)
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = out.find(signature)
        while start >= 0:
            if out[start + name_at : start + name_at + len(name)] == name:
                struct.pack_into("<I", out, start + size_at, size)
            start = out.find(signature, start + 1)
    return bytes(out)


def send_encoded(client, filename: str, data: bytes):
    """Like ``send``, encoded in memory (the test client spools large bodies to a file it
    never closes)."""
    boundary, body = encode_multipart(
        {
            "csrf_token": client.csrf_token(),
            "kind": "research",
            "title": "Quarterly benchmark",
            "summary": "Typed with care.",
            "min_tier": "strategist",
            "attachment": FileStorage(io.BytesIO(data), filename),
        }
    )
    return client.post(
        "/library/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def deflated_mimetype_bomb() -> bytes:
    # The right MIME type followed by 100 MB of spaces, deflated to about 100 KB: inflated
    # whole and stripped, it used to pass as a genuine document (and cost 100s of MB).
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT.encode() + b" " * (100 * 1024 * 1024))
        archive.writestr("content.xml", "<xml/>")
    return buffer.getvalue()


def many_entries() -> bytes:
    return real_odt(*((f"Pictures/{n}.png", b"") for n in range(6_000)))


def huge_declared_total() -> bytes:
    parts = [(f"Pictures/{n}.png", b"x") for n in range(60)]
    data = real_odt(*parts)
    for name, _ in parts:
        data = declare_size(data, name.encode(), 0xFFFF_0000)  # ~4 GB each, ~240 GB in all
    return data


def docx_declaring_gigabytes() -> bytes:
    return declare_size(ooxml("word/document.xml"), b"word/document.xml", 0xFFFF_0000)


@pytest.mark.parametrize(
    ("filename", "build", "message"),
    [
        ("bomb.odt", deflated_mimetype_bomb, "not really a Document (.odt)"),
        ("parts.odt", many_entries, "more than 5,000 parts"),
        ("huge.odt", huge_declared_total, "would unpack to more than 200 MB"),
        ("huge.docx", docx_declaring_gigabytes, "would unpack to more than 200 MB"),
    ],
)
def test_zip_bombs_are_refused_quickly_with_the_form_kept(app, as_member, filename, build, message):
    client, _ = as_member("editor")
    data = build()
    assert len(data) < 1024 * 1024  # small to send; large only in what it declares
    started = time.perf_counter()
    response = send_encoded(client, filename, data)
    elapsed = time.perf_counter() - started
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in text
    assert 'value="Quarterly benchmark"' in text and "Typed with care." in text
    assert uploads(app) == []
    assert elapsed < 1.0, f"the check took {elapsed:.2f} s"


def test_mimetype_must_be_the_first_entry_and_stored(app, as_member):
    client, _ = as_member("editor")
    deflated, second = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT)
        archive.writestr("content.xml", "<xml/>")
    with zipfile.ZipFile(second, "w") as archive:
        archive.writestr("content.xml", "<xml/>")
        archive.writestr("mimetype", ODT)
    for data in (deflated.getvalue(), second.getvalue()):
        response = send(client, "notes.odt", data)
        assert response.status_code == 400
        assert "not really a Document (.odt)" in response.get_data(as_text=True)
    assert uploads(app) == []


def test_a_genuine_opendocument_is_still_accepted(app, as_member):
    client, _ = as_member("editor")
    data = real_odt(("Pictures/chart.png", b"\x89PNG" + b"0" * 2000))
    response = send(client, "board notes.odt", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    [stored] = uploads(app)
    assert stored.read_bytes() == data
