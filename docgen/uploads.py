"""Safe opening of DOCX and XLSX files that users supply: limits checked from the ZIP directory.

A DOCX or XLSX is a ZIP package. A small one can expand to gigabytes of XML (a zip bomb: a
189 KB DOCX holding 50 MB of paragraphs kept ``docgen check`` busy for minutes and 3.4 GB),
so every package a user gives docgen passes ``check_package`` before anything is parsed: the
file size, the number of parts, each part's and the total uncompressed size, and each part's
compression ratio, all read from the ZIP's central directory without inflating a byte. The
sizes there are binding: Python's ``zipfile`` never returns more than a part's declared size
(a part that inflates beyond it fails its CRC check), so a lying directory cannot get past.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from docgen.errors import DocgenError

if TYPE_CHECKING:
    from docx.document import Document
    from openpyxl import Workbook

MiB = 1024 * 1024


@dataclass(frozen=True)
class PackageLimits:
    """The largest package docgen opens; the defaults fit real Decree-30 documents many times."""

    max_file_bytes: int = 32 * MiB  # the ZIP itself
    max_parts: int = 1000
    max_part_bytes: int = 16 * MiB  # one part, uncompressed (an embedded image, say)
    max_xml_part_bytes: int = 8 * MiB  # one XML part: what the parsers build trees from
    max_total_bytes: int = 64 * MiB  # all parts, uncompressed
    max_ratio: int = 100  # uncompressed / compressed, for parts above ``ratio_floor``
    ratio_floor: int = 1 * MiB  # small parts may compress as well as they like


DEFAULT_LIMITS = PackageLimits()


class PackageRejected(DocgenError):
    """A user's DOCX or XLSX is larger than docgen accepts, or is not a ZIP package."""

    code = "package_too_large"
    http_status = 413


def _mb(size: int) -> str:
    return f"{size / MiB:.1f}".replace(".", ",") + " MB"


def read_upload(
    source: bytes | str | Path | IO[bytes], limits: PackageLimits = DEFAULT_LIMITS
) -> bytes:
    """Return the bytes of ``source`` (bytes, a path or a binary stream), refusing a huge file."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise _too_large(f"tệp nặng {_mb(size)}", limits.max_file_bytes)
        data = path.read_bytes()
    else:
        data = source.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise _too_large(f"tệp nặng hơn {_mb(limits.max_file_bytes)}", limits.max_file_bytes)
    return data


def _too_large(what: str, limit: int, **details: object) -> PackageRejected:
    return PackageRejected(
        f"Tệp quá lớn để xử lý: {what} (giới hạn {_mb(limit)}). Hãy chia nhỏ văn bản "
        "hoặc bỏ bớt hình ảnh rồi gửi lại.",
        limit=limit,
        **details,
    )


def check_package(data: bytes, limits: PackageLimits = DEFAULT_LIMITS) -> list[zipfile.ZipInfo]:
    """Return the parts of the ZIP package ``data`` after checking them against ``limits``.

    Raises ``PackageRejected`` (with a Vietnamese message naming the part) when the package
    is too big, and ``zipfile.BadZipFile`` when ``data`` is not a ZIP at all.
    """
    if len(data) > limits.max_file_bytes:
        raise _too_large(f"tệp nặng {_mb(len(data))}", limits.max_file_bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as package:  # reads the central directory only
        parts = package.infolist()
    if len(parts) > limits.max_parts:
        raise PackageRejected(
            f"Tệp có {len(parts)} thành phần, vượt giới hạn {limits.max_parts}; "
            "đây không phải một văn bản thông thường.",
            code="package_too_many_parts",
            limit=limits.max_parts,
        )
    total = 0
    for part in parts:
        size = part.file_size
        xml = part.filename.endswith((".xml", ".rels"))
        limit = limits.max_xml_part_bytes if xml else limits.max_part_bytes
        if size > limit:
            raise _too_large(
                f"thành phần “{part.filename}” giải nén ra {_mb(size)}", limit, part=part.filename
            )
        if size > limits.ratio_floor and size > limits.max_ratio * max(part.compress_size, 1):
            ratio = size // max(part.compress_size, 1)
            raise PackageRejected(
                f"Tệp bị nén bất thường: thành phần “{part.filename}” nén {ratio} lần "
                f"(giới hạn {limits.max_ratio} lần); tệp có thể là “bom nén”, không được mở.",
                code="package_compression_ratio",
                part=part.filename,
                limit=limits.max_ratio,
            )
        total += size
        if total > limits.max_total_bytes:
            raise _too_large(f"các thành phần giải nén ra hơn {_mb(total)}", limits.max_total_bytes)
    return parts


def open_docx(
    source: bytes | str | Path | IO[bytes], limits: PackageLimits = DEFAULT_LIMITS
) -> Document:
    """Return the python-docx Document of a user's DOCX, checked against ``limits`` first.

    Raises ``PackageRejected`` for a package over the limits; python-docx's own errors
    (not a ZIP, not a Word package, broken XML) pass through for the caller to word.
    """
    import docx

    data = read_upload(source, limits)
    check_package(data, limits)
    return docx.Document(io.BytesIO(data))


def open_xlsx(
    source: bytes | str | Path | IO[bytes], limits: PackageLimits = DEFAULT_LIMITS
) -> Workbook:
    """Return the openpyxl workbook (read-only, values not formulas) of a user's XLSX,
    checked against ``limits`` first; openpyxl's own errors pass through."""
    from openpyxl import load_workbook

    data = read_upload(source, limits)
    check_package(data, limits)
    return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
