"""``docgen check``: one line per finding, a Vietnamese summary, exit codes 0 / 1 / 2, JSON."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from checker_docs import SPEC, build, save
from click.testing import CliRunner
from flask import Flask

from docgen.cli import register_commands
from docgen.cli.check import check


@pytest.fixture
def files(tmp_path):
    """Write a conforming plan, one with a narrow left margin, a draft and a text file."""
    paths = {
        "good": tmp_path / "dung.docx",
        "bad": tmp_path / "sai-le.docx",
        "draft": tmp_path / "du-thao.docx",
        "text": tmp_path / "ghi-chu.docx",
    }
    paths["good"].write_bytes(save(build()))
    paths["bad"].write_bytes(save(build(replace(SPEC, margins_mm=(20, 20, 25, 15)))))
    draft = replace(
        SPEC, number_line="Số:      /KH-UBND", date_line="Kiên Giang, ngày      tháng      năm 2017"
    )
    paths["draft"].write_bytes(save(build(draft)))
    paths["text"].write_text("không phải văn bản Word", encoding="utf-8")
    return paths


def test_conforming_file_exits_0(files):
    result = CliRunner().invoke(check, [str(files["good"])])
    assert result.exit_code == 0
    assert result.stdout == "Kết quả: không phát hiện sai lệch thể thức.\n"


def test_file_with_an_error_exits_1_with_one_line_per_finding(files):
    result = CliRunner().invoke(check, [str(files["bad"])])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "[PL1.I.margins.left] toàn văn bản: Lề trái 25,0 mm; quy định 30–35 mm (Phụ lục I "
        "Nghị định 30/2020/NĐ-CP, Phần I, mục I, khoản 3)",
        "Kết quả: 1 lỗi, 0 cảnh báo — chưa đúng thể thức.",
    ]


def test_warnings_alone_exit_0(files):
    result = CliRunner().invoke(check, [str(files["draft"])])
    assert result.exit_code == 0
    first, summary = result.stdout.splitlines()
    assert first.startswith("[PL1.II.3.draft] trang 1, số và ngày ban hành: Cảnh báo — ")
    assert summary == "Kết quả: 0 lỗi, 1 cảnh báo — không có lỗi thể thức."


def test_not_a_docx_exits_2_with_a_vietnamese_error(files):
    result = CliRunner().invoke(check, [str(files["text"])])
    assert result.exit_code == 2
    assert "không phải tệp DOCX" in result.stderr
    missing = CliRunner().invoke(check, [str(files["text"].with_name("khong-co.docx"))])
    assert missing.exit_code == 2
    assert "Không tìm thấy tệp" in missing.stderr


def test_several_files_get_headers_and_a_total(files):
    result = CliRunner().invoke(check, [str(files["good"]), str(files["bad"])])
    assert result.exit_code == 1
    out = result.stdout
    assert f"== {files['good']} ==" in out and f"== {files['bad']} ==" in out
    assert out.splitlines()[-1] == (
        "Tổng cộng 2 tệp đã kiểm tra: 1 lỗi, 0 cảnh báo — chưa đúng thể thức."
    )


def test_an_unreadable_file_among_others_exits_2(files):
    result = CliRunner().invoke(check, [str(files["bad"]), str(files["text"])])
    assert result.exit_code == 2
    assert "1 tệp không đọc được" in result.stdout.splitlines()[-1]


def test_json_output(files):
    result = CliRunner().invoke(check, ["--json", str(files["bad"]), str(files["good"])])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert rows == [
        {
            "file": str(files["bad"]),
            "rule": "PL1.I.margins.left",
            "severity": "error",
            "location": "toàn văn bản",
            "message": "Lề trái 25,0 mm; quy định 30–35 mm (Phụ lục I Nghị định 30/2020/NĐ-CP, "
            "Phần I, mục I, khoản 3)",
        }
    ]


def test_check_is_a_docgen_command():
    app = Flask("test")
    register_commands(app)
    assert app.cli.commands["check"] is check
