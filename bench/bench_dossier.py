"""Submission dossier benchmark: 200 selected nominees, the tờ trình issued, the dossier built.

    .venv/bin/python bench/bench_dossier.py                  # 200 nominees, batched conversion
    .venv/bin/python bench/bench_dossier.py --nominees 50 --one-by-one

Everything goes through the services on a fresh migrated SQLite database with the records and
the sample accounts loaded: 200 nominees entered by the campaign's participants (the console
acting for each), submitted before the deadline, accepted and selected by the board; the
bench campaign's selection range is widened to 1–N (the 2017 campaign asks 05–10). The tờ
trình is drafted from the selection, sent for signature, approved and issued by the board's
sample people; its PDF is made; then ``build_and_store`` is timed (render, convert, merge,
zip, and the archive write). The floor, in the same run: plain docxtpl rendering of the same
contexts, and ONE LibreOffice conversion of all the trích ngang concatenated. Goal ≤ 20 s.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from docgen.cli.samples import add_sample_accounts  # noqa: E402
from docgen.database import make_engine, upgrade  # noqa: E402
from docgen.jobs.dossier import build_and_store, ensure_submission_pdf  # noqa: E402
from docgen.policy import system_actor  # noqa: E402
from docgen.records import load_records  # noqa: E402
from docgen.rendering.context import build_context  # noqa: E402
from docgen.rendering.documents import DocumentRenderer  # noqa: E402
from docgen.rendering.dossier_pdf import concat_docx  # noqa: E402
from docgen.rendering.pdf import Converter  # noqa: E402
from docgen.services import drafts, nominations, reviews  # noqa: E402
from docgen.services.accounts import actor_for, user_by_username  # noqa: E402
from docgen.services.campaigns import find_campaign, participants  # noqa: E402
from docgen.services.clock import VIETNAM, FixedClock  # noqa: E402
from docgen.services.dossier import _extract_fields, dossier_inputs  # noqa: E402
from docgen.services.dossier_drafts import create_submission  # noqa: E402
from docgen.services.lookup import DbRecordLookup, load_records_into  # noqa: E402

SYSTEM = system_actor("bench")


def nominee(i: int) -> dict[str, object]:
    if i % 4 == 0:
        return {"kind": "Tập thể", "name": f"Tổ công tác số {i}", "position": "Kiên Giang",
                "classification": "Cơ quan hành chính, sự nghiệp",
                "achievements": f"{i % 9 + 1} năm liền hoàn thành xuất sắc nhiệm vụ.\n"
                                "100% hồ sơ giải quyết đúng hạn."}  # fmt: skip
    return {"kind": "Cá nhân", "name": f"Nguyễn Văn Thứ {i:03d}", "birth_year": str(1960 + i % 40),
            "gender": ("Nam", "Nữ")[i % 2], "position": f"Chuyên viên phòng {i % 13}",
            "field": "Quản lý nhà nước",
            "classification": "Các cấp lãnh đạo từ phó phòng trở lên",
            "achievements": f"Chủ trì {i % 5 + 1} đề án cải cách hành chính.\n"
                            f"Giảm {i % 30 + 10}% thời gian xử lý hồ sơ."}  # fmt: skip


def prepare(session: Session, count: int, clock: FixedClock, renderer: DocumentRenderer) -> int:
    """Return the campaign id once ``count`` nominees are selected and the tờ trình issued."""
    campaign = find_campaign(session, "dien-hinh-2017")
    campaign.selection_min, campaign.selection_max = 1, count
    session.commit()
    orgs = participants(session, campaign)
    clock.set(datetime(2017, 4, 10, 9, tzinfo=VIETNAM))
    by_org: dict[str, list[int]] = {}
    for i in range(count):
        org = orgs[i % len(orgs)]
        row = nominations.add_nomination(session, campaign.id, nominee(i), actor=SYSTEM,
                                         now=clock.now(), organisation=org)  # fmt: skip
        by_org.setdefault(org, []).append(row.id)
    for org, ids in by_org.items():
        nominations.submit_package(session, campaign.id, actor=SYSTEM, now=clock.now(),
                                   organisation=org)  # fmt: skip
        reviews.accept_package(session, campaign.id, org, actor=SYSTEM, now=clock.now())
        for nid in ids:
            reviews.select_nomination(session, nid, actor=SYSTEM, now=clock.now())
    session.commit()
    who = {n: actor_for(user_by_username(session, n))
           for n in ("thiduakt", "truongban", "vanthu-btdkt")}  # fmt: skip
    clock.set(datetime(2017, 4, 24, 9, tzinfo=VIETNAM))
    draft = create_submission(session, campaign.id, actor=who["thiduakt"], renderer=renderer,
                              now=clock.now())  # fmt: skip
    session.commit()
    draft = drafts.submit(session, draft.id, actor=who["thiduakt"], version=draft.version,
                          renderer=renderer, now=clock.now())  # fmt: skip
    draft = drafts.approve(session, draft.id, actor=who["truongban"], version=draft.version,
                           now=clock.now())  # fmt: skip
    drafts.issue_approved(session, draft.id, actor=who["vanthu-btdkt"], clock=clock,
                          renderer=renderer)  # fmt: skip
    session.commit()
    return campaign.id


def floor(session: Session, campaign_id: int, renderer: DocumentRenderer, converter: Converter):
    """Return (plain docxtpl seconds for the same documents, one conversion of them all)."""
    _campaign, submission, rows = dossier_inputs(session, campaign_id, actor=SYSTEM)
    lookup = DbRecordLookup(session)
    cite = f"Tờ trình số {submission.notation}"
    orgs = {r.organisation_id: r.organisation_id for r in rows}
    contexts = []
    for row in rows:
        prepared = renderer.prepare(lookup, "trich-ngang", issuer=submission.issuer,
                                    signer=submission.signer, recipients=None,
                                    fields=_extract_fields(row, orgs, cite))  # fmt: skip
        contexts.append(build_context(prepared, number=None, issue_date=submission.issued_date,
                                      year=None))  # fmt: skip
    path = renderer.templates.get("trich-ngang").path
    started = time.perf_counter()
    outputs = []
    for context in contexts:
        document = DocxTemplate(str(path))
        document.render(context)
        out = io.BytesIO()
        document.save(out)
        outputs.append(out.getvalue())
    render = time.perf_counter() - started
    one = concat_docx(outputs)
    started = time.perf_counter()
    converter.to_pdf(one)
    return render, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nominees", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--one-by-one", action="store_true", help="no batched conversion")
    args = parser.parse_args()
    clock = FixedClock(datetime(2017, 3, 20, 9, tzinfo=VIETNAM))
    renderer = DocumentRenderer(ROOT / "templates")
    with tempfile.TemporaryDirectory() as tmp, Converter(workers=args.workers) as converter:
        engine = make_engine(f"sqlite:///{tmp}/bench.sqlite3")
        upgrade(engine)
        converter.start()  # warm: the bench measures the dossier, not LibreOffice's start
        with Session(engine) as session:
            load_records_into(session, load_records(ROOT / "records", templates=ROOT / "templates"),
                              actor=SYSTEM)  # fmt: skip
            add_sample_accounts(session, now=clock.now())
            session.commit()
            started = time.perf_counter()
            campaign_id = prepare(session, args.nominees, clock, renderer)
            print(f"set-up (nominees, selection, tờ trình issued): "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
            board = actor_for(user_by_username(session, "thiduakt"))
            _c, submission, _r = dossier_inputs(session, campaign_id, actor=board)
            ensure_submission_pdf(session, submission.id, converter=converter, actor=board,
                                  now=clock.now)  # fmt: skip
            started = time.perf_counter()
            dossier, built = build_and_store(
                session, campaign_id, actor=board, renderer=renderer, converter=converter,
                now=clock.now, batch=not args.one_by_one,
            )  # fmt: skip
            total = time.perf_counter() - started
            dossier_id = dossier.id
            raw_render, raw_convert = floor(session, campaign_id, renderer, converter)
        engine.dispose()
    split = ", ".join(f"{k} {v:.2f} s" for k, v in built.timings.items())
    archive = total - sum(built.timings.values())
    print(f"dossier #{dossier_id}: {len(built.nominees)} nominees, {built.merged_pages} pages, "
          f"ZIP {len(built.zip) / 1e6:.1f} MB, conversion "
          f"{'batched' if built.batched else 'one by one'} on {args.workers} workers")  # fmt: skip
    print(f"total {total:.2f} s = {split}, archive write {archive:.2f} s")
    print(f"floor: plain docxtpl render {raw_render:.2f} s, one LibreOffice conversion of all "
          f"trích ngang {raw_convert:.2f} s; total / floor = "
          f"{total / (raw_render + raw_convert):.2f}")  # fmt: skip
    print(f"goal ≤ 20 s: {'met' if total <= 20 else 'NOT met'} (load {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
