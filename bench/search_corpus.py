"""A synthetic archive for the search benchmark, bulk-inserted straight into the tables.

Not issued through the service (a million issuances would take days): rows carry dummy
hashes and are indexed with the same folded words as ``index_document``. What matters for
search is realistic text: bodies of 80-200 words drawn with a Zipf distribution over the
2017 plan's vocabulary (its most frequent words first, so "thi đua" is common) followed by
a long tail of rarer Vietnamese-looking syllables; the phrase "điển hình tiên tiến" in
~20 % of bodies, "Phú Quốc" in 0.05 %; 20 organisations each with a general and a secret
register; several types; ~0.5 % withdrawn or superseded; ids follow the issue date.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from docgen.rules.text import fold, nfc
from docgen.services.search.indexing import extra_lexemes, pg_tsvector

SEED = Path(__file__).resolve().parents[1] / "tests" / "data" / "ke-hoach-2017-kien-giang.txt"
RARE = "Phú Quốc"
PHRASE = "điển hình tiên tiến"
FIRST_DAY = date(2010, 1, 1)
DAYS = 3650
ORGANISATIONS = [("ubnd-tinh", "Ủy ban nhân dân tỉnh Kiên Giang", "UBND")] + [
    (f"so-{i:02d}", name, sym)
    for i, (name, sym) in enumerate(
        [
            ("Sở Nội vụ tỉnh Kiên Giang", "SNV"),
            ("Sở Tài chính tỉnh Kiên Giang", "STC"),
            ("Sở Giáo dục và Đào tạo tỉnh Kiên Giang", "SGDĐT"),
            ("Sở Y tế tỉnh Kiên Giang", "SYT"),
            ("Sở Tư pháp tỉnh Kiên Giang", "STP"),
            ("Sở Xây dựng tỉnh Kiên Giang", "SXD"),
            ("Sở Công Thương tỉnh Kiên Giang", "SCT"),
            ("Sở Kế hoạch và Đầu tư tỉnh Kiên Giang", "SKHĐT"),
            ("Sở Giao thông vận tải tỉnh Kiên Giang", "SGTVT"),
            ("Sở Nông nghiệp và Phát triển nông thôn", "SNNPTNT"),
            ("Sở Tài nguyên và Môi trường", "STNMT"),
            ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"),
            ("Sở Văn hóa và Thể thao", "SVHTT"),
            ("Sở Du lịch tỉnh Kiên Giang", "SDL"),
            ("Sở Thông tin và Truyền thông", "STTTT"),
            ("Sở Khoa học và Công nghệ", "SKHCN"),
            ("Ban Thi đua - Khen thưởng tỉnh", "BTĐKT"),
            ("Thanh tra tỉnh Kiên Giang", "TTr"),
            ("Ủy ban nhân dân thành phố Rạch Giá", "UBND"),
        ],
        start=1,
    )
]
# (slug, type name, abbreviation or None for công văn, weight)
TYPES = [
    ("cong-van", "Công văn", None, 40),
    ("ke-hoach", "Kế hoạch", "KH", 12),
    ("bao-cao", "Báo cáo", "BC", 15),
    ("quyet-dinh", "Quyết định", "QĐ", 18),
    ("thong-bao", "Thông báo", "TB", 8),
    ("to-trinh", "Tờ trình", "TTr", 7),
]
UNITS = ["VHXH", "KT", "TH", "NC", "TCHC", "KTN"]
SIGNERS = [
    "Mai Văn Huỳnh", "Nguyễn Thanh Nhàn", "Lê Thị Minh Phụng", "Phạm Vũ Hồng",
    "Đỗ Thanh Bình", "Trần Quốc Trung", "Lâm Minh Thành", "Nguyễn Lưu Trung",
]  # fmt: skip
RECIPIENTS = [
    "Văn phòng Chính phủ", "Bộ Nội vụ", "Thường trực Tỉnh ủy", "Thường trực HĐND tỉnh",
    "Hội đồng TĐKT tỉnh", "Các sở, ban, ngành tỉnh", "UBND các huyện, thành phố",
    "Báo Kiên Giang", "Đài Phát thanh và Truyền hình tỉnh", "Lưu: VT",
]  # fmt: skip
SUBJECTS = [
    "Tuyên truyền các phong trào thi đua yêu nước năm {y}",
    "Kết quả thực hiện công tác thi đua, khen thưởng 6 tháng đầu năm {y}",
    "Giới thiệu điển hình tiên tiến, mô hình mới, nhân tố mới năm {y}",
    "Tổ chức hội nghị tổng kết công tác năm {y}",
    "Đề nghị xét chọn tập thể, cá nhân tiêu biểu năm {y}",
    "Triển khai kế hoạch cải cách hành chính năm {y}",
    "Phân bổ dự toán ngân sách nhà nước năm {y}",
    "Kiểm tra công tác phòng, chống thiên tai và tìm kiếm cứu nạn năm {y}",
    "Tăng cường quản lý trật tự xây dựng trên địa bàn tỉnh năm {y}",
    "Báo cáo tình hình kinh tế - xã hội quý {q} năm {y}",
    "Phê duyệt danh sách học sinh được hỗ trợ chi phí học tập năm học {y}",
    "Thành lập đoàn kiểm tra liên ngành về an toàn thực phẩm năm {y}",
    "Triển khai tiêm chủng mở rộng và phòng, chống dịch bệnh năm {y}",
    "Ban hành quy chế phối hợp quản lý tài nguyên nước năm {y}",
    "Xúc tiến đầu tư, phát triển du lịch biển đảo năm {y}",
]  # fmt: skip
_ONSETS = "b c ch d đ g gh h k kh l m n ng nh p ph qu r s t th tr v x".split()  # noqa: SIM905
_RHYMES = (  # noqa: SIM905
    "a ai am an ang anh ao au ay e em en eo ê êm ên i ia im in inh iu o oa oai oan "
    "oang oanh oc oi om on ong ô ôi ôm ôn ông ơ ơi ơm ơn u ua ui um un ung uy uyên ư ưa"
).split()
_TONES = {"a": "aàáảãạ", "e": "eèéẻẽẹ", "ê": "êềếểễệ", "i": "iìíỉĩị", "o": "oòóỏõọ",
          "ô": "ôồốổỗộ", "ơ": "ơờớởỡợ", "u": "uùúủũụ", "ư": "ưừứửữự", "y": "yỳýỷỹỵ"}  # fmt: skip


def _vocabulary(rng: random.Random) -> list[str]:
    """Return words in Zipf rank order: the seed text's by frequency, then synthetic ones."""
    words = [w.strip(".,;:()“”\"'-–") for w in SEED.read_text(encoding="utf-8").split()]
    counts = Counter(w.lower() for w in words if w and re.fullmatch(r"[^\W\d_]+", w))
    for rare in [*fold(RARE).split(), "phú", "quốc"]:
        counts.pop(rare, None)
    head = [w for w, _ in counts.most_common()]
    seen = {fold(w) for w in head} | set(fold(RARE).split())
    tail = []
    for onset, rhyme in itertools.product(_ONSETS, _RHYMES):
        vowel = next(c for c in rhyme if c in _TONES)
        for tone in rng.sample(range(6), 2):
            word = onset + rhyme.replace(vowel, _TONES[vowel][tone], 1)
            if fold(word) not in seen:
                seen.add(fold(word))
                tail.append(word)
    rng.shuffle(tail)
    return head + tail


@dataclass
class Generated:
    document: dict
    body: str
    recipients: list[str]
    index: dict  # folded words per FTS column
    event: str | None  # "withdrawn" / "superseded" / None


class Corpus:
    """Yields documents 1..count with text, recipients, folded index words and events."""

    def __init__(self, count: int, seed: int = 2017) -> None:
        self.count = count
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng)
        self.folded = [fold(w) for w in self.words]
        self.cum = list(itertools.accumulate(1 / (r + 2.7) ** 1.07 for r in range(len(self.words))))
        self.registers = {}  # (org index, secret) -> register id
        for i, _org in enumerate(ORGANISATIONS):
            self.registers[(i, False)] = 2 * i + 1
            self.registers[(i, True)] = 2 * i + 2
        self.counters: Counter = Counter()

    def _body(self) -> tuple[str, str]:
        rng = self.rng
        picks = rng.choices(range(len(self.words)), cum_weights=self.cum, k=rng.randint(80, 200))
        original = [self.words[i] for i in picks]
        folded = [self.folded[i] for i in picks]
        if rng.random() < 0.2:
            at = rng.randrange(len(original))
            original[at:at] = PHRASE.split()
            folded[at:at] = fold(PHRASE).split()
        if rng.random() < 0.0005:
            at = rng.randrange(len(original))
            original[at:at] = RARE.split()
            folded[at:at] = fold(RARE).split()
        for start in range(0, len(original), 17):  # sentences
            original[start] = original[start][:1].upper() + original[start][1:]
        return " ".join(original) + ".", " ".join(folded)

    def __iter__(self) -> Iterator[Generated]:
        rng = self.rng
        type_weights = [t[3] for t in TYPES]
        for i in range(1, self.count + 1):
            issued = FIRST_DAY + timedelta(days=(i - 1) * DAYS // self.count)
            org_index = 0 if rng.random() < 0.3 else rng.randrange(1, len(ORGANISATIONS))
            code, organ, org_symbol = ORGANISATIONS[org_index]
            secret = rng.random() < 0.01
            register = self.registers[(org_index, secret)]
            slug, type_name, abbr, _w = rng.choices(TYPES, weights=type_weights)[0]
            unit = rng.choice(UNITS)
            symbol = f"{abbr}-{org_symbol}" if abbr else f"{org_symbol}-{unit}"
            self.counters[(register, issued.year)] += 1
            number = self.counters[(register, issued.year)]
            subject = rng.choice(SUBJECTS).format(y=issued.year, q=rng.randint(1, 4))
            signer = rng.choice(SIGNERS)
            body, folded_body = self._body()
            recipients = [*rng.sample(RECIPIENTS[:-1], 2), RECIPIENTS[-1]]
            notation = f"{number:02d}/{symbol}"
            at = datetime(issued.year, issued.month, issued.day, 9)
            document = {
                "id": i, "register_id": register, "year": issued.year, "number": number,
                "symbol": symbol, "symbol_key": fold(symbol), "doctype": slug,
                "template": slug, "issuer": code, "organisation_id": code,
                "signer": f"signer-{SIGNERS.index(signer)}", "recipient_list": None,
                "unit": unit, "type_name": type_name, "code_number": f"{number:02d}",
                "code_notation": symbol, "issued_date": issued, "organ_name": organ,
                "organ_key": fold(organ), "subject": subject, "language": "Tiếng Việt",
                "signer_name": signer, "signer_key": fold(signer), "priority": 0,
                "title": nfc(type_name.upper()), "number_line": f"Số: {notation}",
                "date_line": "", "signer_lines": "[]", "data": "{}",
                "blob_sha256": "f" * 64, "issued_at": at, "actor": "bench",
                "chain_seq": i, "prev_hash": "0" * 64, "row_hash": "0" * 64, "sealed": "{}",
            }  # fmt: skip
            index = {
                "id": i,
                "subject": " ".join(re.findall(r"[^\W_]+", fold(subject))),
                "notation": " ".join(re.findall(r"[^\W_]+", fold(notation))),
                "issuer": " ".join(re.findall(r"[^\W_]+", fold(f"{organ} {code}"))),
                "signer": fold(signer),
                "recipients": " ".join(re.findall(r"[^\W_]+", fold(" ; ".join(recipients)))),
                "body": folded_body,
            }
            roll = rng.random()
            event = "withdrawn" if roll < 0.002 else "superseded" if roll < 0.005 else None
            yield Generated(document, body, recipients, index, event)


FTS_COLUMNS = ("subject", "notation", "issuer", "signer", "recipients", "body")
BATCH = 10_000


def _reference(count: int) -> tuple[list[dict], list[dict], dict]:
    organisations = [
        {"code": code, "name": name, "kind": "department", "header_parent_lines": "[]",
         "header_lines": "[]", "units": "[]", "sources": "[]", "symbol": symbol, "sample": False}
        for code, name, symbol in ORGANISATIONS
    ]  # fmt: skip
    registers = [
        {"id": 2 * i + 1 + secret, "code": f"{code}:{'secret' if secret else 'general'}",
         "organisation": code, "organisation_id": code, "name": "Sổ văn bản đi",
         "kind": "secret" if secret else "general", "doctypes": "[]", "configured": True,
         "chain_seq": 0, "head_hash": "0" * 64}
        for i, (code, _n, _s) in enumerate(ORGANISATIONS)
        for secret in (0, 1)
    ]  # fmt: skip
    blob = {"sha256": "f" * 64, "size": 1, "content": b"x", "created_at": datetime(2010, 1, 1)}
    return organisations, registers, blob


def _event_row(event_id: int, g: Generated, count: int) -> dict:
    doc = g.document
    return {
        "id": event_id, "document_id": doc["id"], "kind": g.event,
        "related_document_id": min(doc["id"] + 1, count) if g.event == "superseded" else None,
        "reason": "Phát hiện sai sót", "actor": "bench", "at": doc["issued_at"],
        "chain_seq": count + event_id, "prev_hash": "0" * 64, "row_hash": "0" * 64,
        "sealed": "{}", "register_id": doc["register_id"],
    }  # fmt: skip


def _batches(count: int) -> Iterator[tuple[list[Generated], list[dict]]]:
    """Yield (documents, events) in batches; event ids are numbered across batches."""
    events_done = 0
    batch: list[Generated] = []
    for g in Corpus(count):
        batch.append(g)
        if len(batch) == BATCH or g.document["id"] == count:
            events = []
            for item in batch:
                if item.event:
                    events_done += 1
                    events.append(_event_row(events_done, item, count))
            yield batch, events
            batch = []


def _recipients(batch: list[Generated], last_id: int) -> tuple[list[dict], int]:
    rows = []
    for g in batch:
        for position, name in enumerate(g.recipients):
            last_id += 1
            rows.append(
                {"id": last_id, "document_id": g.document["id"], "position": position,
                 "organ_name": name, "organ_key": fold(name)}
            )  # fmt: skip
    return rows, last_id


def load_sqlite(path: Path, count: int) -> None:
    """Fill a migrated, empty SQLite database with ``count`` documents."""
    import sqlite3

    conn = sqlite3.connect(path)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF", "cache_size=-500000"):
        conn.execute(f"PRAGMA {pragma}")

    def insert(table: str, rows: list[dict]) -> None:
        if rows:
            cols = list(rows[0])
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [tuple(r[c] for c in cols) for r in rows],
            )

    organisations, registers, blob = _reference(count)
    insert("organisation", organisations)
    insert("register", registers)
    insert("blob", [blob])
    recipient_id = 0
    for batch, events in _batches(count):
        insert("document", [g.document for g in batch])
        insert("document_text", [{"document_id": g.document["id"], "body": g.body} for g in batch])
        rows, recipient_id = _recipients(batch, recipient_id)
        insert("document_recipient", rows)
        conn.executemany(
            f"INSERT INTO document_fts(rowid, {', '.join(FTS_COLUMNS)}) VALUES (?{', ?' * 6})",
            [tuple(g.index[c] for c in ("id", *FTS_COLUMNS)) for g in batch],
        )
        insert("document_event", events)
        conn.commit()
    conn.execute("INSERT INTO document_fts(document_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()


def load_postgresql(url: str, count: int) -> None:
    """Fill a migrated, empty PostgreSQL database with ``count`` documents (COPY)."""
    import psycopg

    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    cur = conn.cursor()

    def copy(table: str, rows: list[dict]) -> None:
        if rows:
            cols = list(rows[0])
            with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as out:
                for r in rows:
                    out.write_row(tuple(r[c] for c in cols))

    organisations, registers, blob = _reference(count)
    copy("organisation", organisations)
    copy("register", registers)
    copy("blob", [blob])
    cur.execute("DROP INDEX IF EXISTS ix_document_search_tsv")
    cur.execute("DROP INDEX IF EXISTS ix_document_search_pair_lexemes")
    cur.execute(
        "CREATE UNLOGGED TABLE bench_fold (id integer, subject text, notation text, "
        "issuer text, signer text, recipients text, body text, extra text[])"
    )
    recipient_id = 0
    for batch, events in _batches(count):
        copy("document", [g.document for g in batch])
        copy("document_text", [{"document_id": g.document["id"], "body": g.body} for g in batch])
        rows, recipient_id = _recipients(batch, recipient_id)
        copy("document_recipient", rows)
        copy("bench_fold", [{**g.index, "extra": extra_lexemes(g.index)} for g in batch])
        copy("document_event", events)
        conn.commit()
    cur.execute("SET maintenance_work_mem = '1GB'")
    cur.execute(  # the tsvector exactly as index_document makes it
        "INSERT INTO document_search(document_id, tsv) SELECT id, "
        f"{pg_tsvector(lambda column: column)} FROM bench_fold ORDER BY id"
    )
    cur.execute(
        "INSERT INTO document_search_pair(document_id, lexemes) "
        "SELECT id, array_to_tsvector(extra) FROM bench_fold ORDER BY id"
    )
    cur.execute("DROP TABLE bench_fold")
    cur.execute("CREATE INDEX ix_document_search_tsv ON document_search USING gin (tsv)")
    cur.execute(
        "CREATE INDEX ix_document_search_pair_lexemes ON document_search_pair USING gin (lexemes)"
    )
    conn.commit()
    conn.autocommit = True
    cur.execute("VACUUM ANALYZE")
    conn.close()
