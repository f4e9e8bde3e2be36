"""Commentary files: their states, how notebooks show them, new quarters that never overwrite."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmf_utils.cli import main
from pmf_utils.data import narrative
from pmf_utils.data.dataset import DataError, load
from pmf_utils.data.periods import parse_quarter

from .conftest import MINI_FILES, write_folder

Q2 = parse_quarter("2025/26 Q2")
MARKER = "<!-- draft: carried forward from 2025/26 Q1; revise it, then delete this line -->"
FILES = [
    "overview.md",
    "priority-children.md",
    "priority-streets.md",
    "kpi-CH01.md",
    "kpi-CH02.md",
    "kpi-ST01.md",
]


def write(data_dir: Path, quarter: str, name: str, content: str | bytes) -> Path:
    path = data_dir / "narrative" / quarter / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[Path, tuple[bytes, int]]:
    """Every file's bytes and modification time (nanoseconds)."""
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def age(paths) -> None:
    """Set files' modification times well in the past, so any write would show."""
    for path in paths:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))


@pytest.mark.parametrize(
    ("content", "state", "text"),
    [
        (None, "awaited", ""),
        ("", "awaited", ""),
        ("  \n\n", "awaited", ""),
        ("<!-- to do -->\n<!--\nnotes\n-->\n", "awaited", ""),
        ("Rates fell.\n<!-- check with the service -->\n", "present", "Rates fell."),
        (f"{MARKER}\nRates fell.\n", "draft", "Rates fell."),
        ("\ufeffWith a byte order mark.", "present", "With a byte order mark."),
    ],
)
def test_states(mini_data: Path, content: str | None, state: str, text: str) -> None:
    if content is not None:
        write(mini_data, "2025-26-q2", "kpi-CH01.md", content)
    found = narrative.read(mini_data, Q2, "kpi", "CH01")
    assert (found.state, found.text) == (state, text)
    assert found.relpath == "narrative/2025-26-q2/kpi-CH01.md"


def test_file_names_and_kinds() -> None:
    assert narrative.relpath("2025-26-q2", "overview") == "narrative/2025-26-q2/overview.md"
    assert narrative.file_name("priority", "children") == "priority-children.md"
    with pytest.raises(ValueError, match="unknown commentary kind"):
        narrative.file_name("ambition", "people")
    with pytest.raises(ValueError, match="needs an id"):
        narrative.file_name("kpi")


def test_commentary_displays_with_metadata_and_words(mini_data: Path) -> None:
    data = load(mini_data)
    write(mini_data, "2025-26-q2", "priority-children.md", "More plans on time.\n")
    write(mini_data, "2025-26-q2", "kpi-CH01.md", f"{MARKER}\nLast quarter's words.\n")

    shown = {}
    for kind, id in (("priority", "children"), ("kpi", "CH01"), ("kpi", "CH02")):
        data_, meta = narrative.commentary(data, "2025/26 Q2", kind, id)._repr_mimebundle_()
        shown[id] = data_["text/markdown"]
        assert meta == {
            "pmf": {
                "narrative": f"narrative/2025-26-q2/{kind}-{id}.md",
                "state": {"children": "present", "CH01": "draft", "CH02": "awaited"}[id],
            }
        }
    assert shown["children"] == "More plans on time."
    assert "**Draft:**" in shown["CH01"] and "Last quarter's words." in shown["CH01"]
    assert "draft: carried" not in shown["CH01"]
    assert shown["CH02"].startswith("> **Commentary awaited.**")


def test_commentary_rejects_ids_not_in_the_data(mini_data: Path) -> None:
    with pytest.raises(ValueError, match="'XX99' is not a kpi id"):
        narrative.commentary(load(mini_data), Q2, "kpi", "XX99")


def test_unreadable_file_is_an_error_not_silence(mini_data: Path) -> None:
    write(mini_data, "2025-26-q2", "overview.md", b"caf\xe9")
    with pytest.raises(narrative.NarrativeError, match="not UTF-8"):
        narrative.read(mini_data, Q2, "overview")


def test_awaited_lists_every_missing_commentary(mini_data: Path) -> None:
    data = load(mini_data)
    write(mini_data, "2025-26-q2", "overview.md", "A good quarter.")
    write(mini_data, "2025-26-q2", "kpi-CH01.md", f"{MARKER}\nDraft words.")
    write(mini_data, "2025-26-q2", "kpi-ST01.md", "<!-- only a note -->")

    table = narrative.awaited(data, Q2)
    assert list(table.columns) == [
        *("kind", "id", "name", "priority_id", "file", "state", "signoff"),
        *("approved_by", "approved_on", "written_for"),
    ]
    assert list(zip(table["kind"], table["id"], strict=True)) == [
        ("priority", "children"),
        ("priority", "streets"),
        ("kpi", "CH02"),
        ("kpi", "ST01"),
    ]
    assert table.loc[2, "name"] == "Children in care per 10000"
    assert table.loc[3, "file"] == "narrative/2025-26-q2/kpi-ST01.md"
    states = narrative.completeness(data, Q2).set_index("file")["state"]
    assert states["narrative/2025-26-q2/kpi-CH01.md"] == "draft"
    assert states["narrative/2025-26-q2/overview.md"] == "present"


def test_new_quarter_creates_every_file_awaiting_commentary(mini_data: Path) -> None:
    created = narrative.new_quarter(mini_data, Q2)
    folder = mini_data.resolve() / "narrative" / "2025-26-q2"
    assert sorted(created) == sorted(folder / name for name in FILES)
    assert narrative.awaited(load(mini_data), Q2)["file"].str.split("/").str[-1].tolist() == FILES
    assert (folder / "kpi-CH01.md").read_text(encoding="utf-8") == (
        "<!-- 2025/26 Q2 commentary on CH01 % of EHCPs issued within 20 weeks: current "
        "performance, trend, benchmarking, actions. Write below this comment; it is not "
        "published. -->\n"
    )
    assert "on the priority Clean streets:" in (folder / "priority-streets.md").read_text()
    assert narrative.new_quarter(mini_data, Q2) == []


def test_carry_forward_marks_last_quarters_text_as_a_draft(mini_data: Path) -> None:
    write(mini_data, "2025-26-q1", "kpi-CH01.md", "Plans on time rose to 61%.\n")
    write(mini_data, "2025-26-q1", "kpi-CH02.md", f"{MARKER}\nOlder words, never revised.\n")
    write(mini_data, "2025-26-q1", "overview.md", "<!-- nothing written -->")

    narrative.new_quarter(mini_data, Q2, carry_forward=True)
    data = load(mini_data)
    ch01 = narrative.read(mini_data, Q2, "kpi", "CH01")
    assert (ch01.state, ch01.text) == ("draft", "Plans on time rose to 61%.")
    assert (ch01.front.status, ch01.front.written_for) == ("draft", "2025/26 Q1")
    raw = ch01.path.read_text(encoding="utf-8")
    assert raw.startswith("---\nstatus: draft\nwritten_for: 2025/26 Q1\n---\n")
    assert "<!-- carried forward from 2025/26 Q1: revise it for 2025/26 Q2" in raw
    ch02 = ch01.path.with_name("kpi-CH02.md").read_text(encoding="utf-8")
    assert "draft:" not in ch02 and "Older words, never revised." in ch02
    assert narrative.read(mini_data, Q2, "kpi", "CH02").state == "draft"
    assert narrative.read(mini_data, Q2, "overview").state == "awaited"
    assert set(narrative.awaited(data, Q2)["id"].dropna()) == {"children", "streets", "ST01"}


def test_new_quarter_never_touches_an_existing_file(mini_data: Path) -> None:
    write(mini_data, "2025-26-q1", "kpi-CH01.md", "Last quarter.\n")
    existing = [
        write(mini_data, "2025-26-q2", "kpi-CH01.md", "Written already.\n"),
        write(mini_data, "2025-26-q2", "overview.md", ""),
        write(mini_data, "2025-26-q2", "priority-children.md", "<!-- started -->"),
    ]
    age(existing)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in existing}

    created = narrative.new_quarter(mini_data, Q2, carry_forward=True)
    assert len(created) == len(FILES) - len(existing)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in existing} == before


def test_new_quarter_command_says_what_it_did(mini_data: Path, capsys) -> None:
    write(mini_data, "2025-26-q1", "kpi-ST01.md", "Fly-tips down.\n")
    write(mini_data, "2025-26-q2", "overview.md", "Kept.\n")
    assert main(["new-quarter", "2025-26-q2", "--carry-forward", "--data", str(mini_data)]) == 0
    out = capsys.readouterr().out
    assert "left alone   narrative/2025-26-q2/overview.md (already exists)" in out
    assert "created      narrative/2025-26-q2/kpi-ST01.md (draft from last quarter)" in out
    assert "created      narrative/2025-26-q2/kpi-CH01.md\n" in out
    assert "5 file(s) created, 1 left alone" in out


def test_new_quarter_command_stops_on_unreadable_text(mini_data: Path, capsys) -> None:
    write(mini_data, "2025-26-q1", "kpi-ST01.md", b"\xff\xfe bad")
    assert main(["new-quarter", "2025-26-q2", "--carry-forward", "--data", str(mini_data)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    assert not (mini_data / "narrative" / "2025-26-q2").exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    contents=st.dictionaries(st.sampled_from(FILES), st.binary(max_size=200), min_size=1),
    carry_forward=st.booleans(),
)
def test_existing_files_stay_byte_identical_whatever_they_hold(
    contents: dict[str, bytes], carry_forward: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = write_folder(Path(tmp) / "data", MINI_FILES)
        write(data_dir, "2025-26-q1", "kpi-CH01.md", "Last quarter's words.\n")
        age(write(data_dir, "2025-26-q2", name, text) for name, text in contents.items())
        before = snapshot(data_dir / "narrative")

        unreadable = any(not _utf8(text) for text in contents.values())
        if unreadable:
            # A file that is not UTF-8 is bad input: refused before anything is written.
            with pytest.raises(DataError, match="not UTF-8 text"):
                narrative.new_quarter(data_dir, Q2, carry_forward=carry_forward)
        else:
            created = narrative.new_quarter(data_dir, Q2, carry_forward=carry_forward)
            assert {p.name for p in created} == set(FILES) - set(contents)

        after = snapshot(data_dir / "narrative")
        assert {p: after[p] for p in before} == before
        assert not unreadable or after == before


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True
