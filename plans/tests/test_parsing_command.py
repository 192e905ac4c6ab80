"""manage.py parse_plan: JSON and outline output, standard input, exit code 2 with a Chinese message."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_28af86dc0943f269.txt"
REPO = Path(__file__).resolve().parents[2]


def test_command_prints_json_for_the_seed():
    out = io.StringIO()
    call_command("parse_plan", str(SEED), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["title"] == "职业技术学院2023年统战工作要点"
    assert [s["marker"] for s in data["sections"]] == ["一、", "二、", "三、", "四、"]
    assert data["sections"][3]["children"][2]["number"] == 16


def test_command_prints_readable_outline():
    out = io.StringIO()
    call_command("parse_plan", str(SEED), stdout=out)
    text = out.getvalue()
    assert "标题：职业技术学院2023年统战工作要点" in text
    assert "  13 .做好少数民族学生管理工作  [牵头：学生工作处 | 配合：教务处、团委、各二级学院部" in text


def test_command_reads_standard_input(monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO("某单位2024年工作要点\n一、加强学习\n1.组织学习。\n".encode("gb18030")))
    monkeypatch.setattr(sys, "stdin", stdin)
    out = io.StringIO()
    call_command("parse_plan", "-", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["sections"][0]["children"][0]["title"] == "组织学习"


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64


@pytest.mark.parametrize(("content", "message"), [(b"", "为空"), (OLE, "docx")])
def test_command_bad_input_is_command_error_with_code_2(tmp_path, content, message):
    path = tmp_path / "plan.doc"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as info:
        call_command("parse_plan", str(path), "--json")
    assert info.value.returncode == 2


def test_command_missing_file_is_code_2(tmp_path):
    with pytest.raises(CommandError, match="找不到文件") as info:
        call_command("parse_plan", str(tmp_path / "nope.txt"))
    assert info.value.returncode == 2


def test_command_process_exit_codes_and_stderr(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    failed = subprocess.run(
        [sys.executable, "manage.py", "parse_plan", str(empty), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode == 2
    assert failed.stdout == ""
    assert len(failed.stderr.strip().splitlines()) == 1 and "为空" in failed.stderr
    ok = subprocess.run(
        [sys.executable, "manage.py", "parse_plan", "-", "--json"],
        cwd=REPO,
        input=SEED.read_bytes(),
        capture_output=True,
        timeout=120,
    )
    assert ok.returncode == 0
    assert json.loads(ok.stdout.decode("utf-8"))["year"] == 2023
