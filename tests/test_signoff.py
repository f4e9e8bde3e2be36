"""Sign-off: commentary front matter, its validation, and a run that refuses unapproved text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmf_utils.cli import main
from pmf_utils.data import frontmatter, narrative
from pmf_utils.data.dataset import load, validate
from pmf_utils.data.periods import parse_quarter
from pmf_utils.project import Project
from pmf_utils.publish import signoff
from pmf_utils.scaffold import init_project

from .conftest import MINI, REPO, write_folder

Q1 = parse_quarter("2025/26 Q1")
Q2 = parse_quarter("2025/26 Q2")
APPROVED = "---\nstatus: approved\napproved_by: Jo Bloggs\napproved_on: 2026-01-15\n---\n"


def write(data_dir: Path, quarter: str, name: str, text: str) -> Path:
    path = data_dir / "narrative" / quarter / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_is_read_and_never_published() -> None:
    raw = f"{APPROVED}Rates rose.\n"
    front, body, problems = frontmatter.parse(raw)
    assert problems == []
    assert front == frontmatter.FrontMatter("approved", "Jo Bloggs", date(2026, 1, 15))
    assert front.approved and body == "Rates rose.\n"


def test_a_file_without_front_matter_is_all_body() -> None:
    for raw in ("Rates rose.\n", "Text\n---\nstatus: approved\n---\n", ""):
        assert frontmatter.parse(raw) == (frontmatter.FrontMatter(), raw, [])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "---\nstatus: done\n---\nText",
            [(2, "status", "unknown status 'done': use draft, ready, approved")],
        ),
        (
            "---\nstatus: approved\n---\nText",
            [(2, "status", "approved needs approved_by and approved_on: who approved it, when")],
        ),
        (
            "---\nstatus: approved\napproved_by: Jo\napproved_on: 2026-13-01\n---\nText",
            [
                (
                    4,
                    "approved_on",
                    "'2026-13-01' is not a date: write it as YYYY-MM-DD, e.g. 2026-01-15",
                ),
            ],
        ),
        (
            "---\nstatus: draft\napproved_on: 15/01/2026\naproved_by: Jo\n---\nText",
            [
                (
                    3,
                    "approved_on",
                    "'15/01/2026' is not a date: write it as YYYY-MM-DD, e.g. 2026-01-15",
                ),
                (
                    4,
                    "aproved_by",
                    "unknown field; front matter takes status, approved_by, "
                    "approved_on, written_for",
                ),
            ],
        ),
        ("---\nstatus: [draft]\n---\n", [(2, "status", "must be a single value")]),
        (
            "---\nstatus: draft\nText without an end\n",
            [(1, "-", "the front matter opened by --- has no closing --- line")],
        ),
        (
            "---\nstatus: 'draft\n---\n",
            [(2, "-", "the front matter is not YAML: found unexpected end of stream")],
        ),
        ("---\njust a line\n---\n", [(2, "-", "the front matter must be lines of field: value")]),
    ],
)
def test_bad_front_matter_is_located(raw: str, expected: list[tuple[int, str, str]]) -> None:
    _front, _body, problems = frontmatter.parse(raw)
    assert [(p.line, p.field, p.message) for p in problems] == expected


@given(
    st.sampled_from(frontmatter.STATUSES),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1).filter(
        str.strip
    ),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
)
def test_front_matter_written_is_read_back(status: str, who: str, when: date) -> None:
    """Whatever name an analyst signs with, the front matter pmf writes reads back the same."""
    front = frontmatter.FrontMatter(status, who.strip(), when, "2025/26 Q1")
    parsed, body, problems = frontmatter.parse(front.text() + "Words.\n")
    assert (parsed, body, problems) == (front, "Words.\n", [])


def test_validate_reports_front_matter_with_file_and_line(mini_data: Path, capsys) -> None:
    path = write(mini_data, "2025-26-q1", "kpi-CH01.md", "---\nstatus: signed\n---\nText\n")
    write(mini_data, "2025-26-q1", "overview.md", "---\nstatus: approved\n---\nText\n")
    assert main(["validate", "--data", str(mini_data)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: status: unknown status 'signed': use draft, ready, approved" in err
    assert "overview.md:2: status: approved needs approved_by and approved_on" in err
    assert "2 problem(s)" in err


def test_states_and_signoff(mini_data: Path) -> None:
    write(mini_data, "2025-26-q1", "overview.md", f"{APPROVED}All well.\n")
    write(mini_data, "2025-26-q1", "kpi-CH01.md", "---\nstatus: draft\n---\nNot yet.\n")
    write(mini_data, "2025-26-q1", "kpi-CH02.md", "<!-- draft -->\nOld marker.\n")
    write(mini_data, "2025-26-q1", "kpi-ST01.md", "---\nstatus: ready\n---\nReady.\n")
    write(mini_data, "2025-26-q1", "priority-children.md", "Written, no front matter.\n")
    write(mini_data, "2025-26-q1", "priority-streets.md", f"{APPROVED}<!-- only a note -->\n")
    table = narrative.completeness(load(mini_data), Q1)
    assert dict(zip(table["file"].str.split("/").str[-1], table["signoff"], strict=True)) == {
        "overview.md": "approved",
        "priority-children.md": "ready",
        "priority-streets.md": "awaited",
        "kpi-CH01.md": "draft",
        "kpi-CH02.md": "draft",
        "kpi-ST01.md": "ready",
    }
    overview = narrative.read(mini_data, Q1, "overview")
    assert overview.text == "All well." and "approved" not in overview.markdown()


def test_carry_forward_marks_draft_and_keeps_the_quarter_written_for(mini_data: Path) -> None:
    write(mini_data, "2025-26-q1", "kpi-CH01.md", f"{APPROVED}Plans rose.\n")
    narrative.new_quarter(mini_data, Q2, carry_forward=True)
    carried = narrative.read(mini_data, Q2, "kpi", "CH01")
    assert (carried.state, carried.signoff, carried.text) == ("draft", "draft", "Plans rose.")
    assert carried.front == frontmatter.FrontMatter("draft", written_for="2025/26 Q1")
    assert "Draft:** written for 2025/26 Q1 and not yet revised for 2025/26 Q2" in (
        carried.markdown()
    )
    # Carried again unrevised, it is still the text written for 2025/26 Q1.
    narrative.new_quarter(mini_data, Q2 + 1, carry_forward=True)
    again = narrative.read(mini_data, Q2 + 1, "kpi", "CH01")
    assert again.front.written_for == "2025/26 Q1" and again.text == "Plans rose."
    assert validate(mini_data) == []


def test_gate_refuses_lists_and_records(mini_data: Path) -> None:
    write(mini_data, "2025-26-q1", "overview.md", f"{APPROVED}All well.\n")
    write(mini_data, "2025-26-q1", "kpi-CH01.md", "Ready.\n")
    data = load(mini_data)
    refused = signoff.gate(data, Q1, required=True, allow=False)
    assert refused.refusal.startswith("2025/26 Q1 cannot be published: 5 of 6 commentary")
    lines = refused.refusal.splitlines()
    assert lines[1:6] == [
        "  awaited   narrative/2025-26-q1/priority-children.md",
        "  awaited   narrative/2025-26-q1/priority-streets.md",
        "  awaited   narrative/2025-26-q1/kpi-CH02.md",
        "  awaited   narrative/2025-26-q1/kpi-ST01.md",
        "  ready     narrative/2025-26-q1/kpi-CH01.md",
    ]
    allowed = signoff.gate(data, Q1, required=True, allow=True)
    assert allowed.refusal is None
    assert allowed.marks.notices == (
        "Not signed off: 5 of 6 commentaries in this report were published without approval.",
    )
    record = allowed.marks.record["signoff"]
    assert record["approved"] == [
        {
            "file": "narrative/2025-26-q1/overview.md",
            "approved_by": "Jo Bloggs",
            "approved_on": "2026-01-15",
        }
    ]
    assert record["published_unapproved"] and len(record["not_approved"]) == 5
    optional = signoff.gate(data, Q1, required=False, allow=False)
    assert optional.refusal is None and optional.marks.notices == ()
    assert optional.marks.record["signoff"]["required"] is False


def test_run_refuses_unapproved_commentary_before_any_notebook(tmp_path: Path, capsys) -> None:
    data_dir = write_folder(tmp_path / "data", {p.name: p.read_text() for p in MINI.glob("*")})
    (tmp_path / "pmf.toml").write_text("[project]\n", "utf-8")
    write(data_dir, "2025-26-q1", "kpi-CH01.md", "---\nstatus: draft\n---\nNot yet.\n")
    assert main(["run", "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "2025/26 Q1 cannot be published: 6 of 6 commentary file(s) are not approved" in err
    assert "  draft     narrative/2025-26-q1/kpi-CH01.md" in err
    assert "--allow-unapproved" in err
    assert not (tmp_path / "reports").exists() and not (tmp_path / "_site").exists()
    assert main(["render", "--project", str(tmp_path)]) == 2
    assert "cannot be published" in capsys.readouterr().err


def test_a_project_setting_must_have_its_type(tmp_path: Path, capsys) -> None:
    (tmp_path / "pmf.toml").write_text('[project]\nrequire_approval = "no"\n', "utf-8")
    assert main(["validate", "--project", str(tmp_path)]) == 2
    assert "require_approval must be true or false" in capsys.readouterr().err


def test_new_projects_require_approval_and_the_example_does_not(tmp_path: Path) -> None:
    init_project(tmp_path / "council")
    init_project(tmp_path / "example", example=True)
    assert Project.load(tmp_path / "council").settings["require_approval"] is True
    assert Project.load(tmp_path / "example").settings["require_approval"] is False
    assert Project.load(REPO).settings["require_approval"] is False  # `make report` publishes
