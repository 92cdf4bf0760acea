"""Moving the reading state between machines: whatever a state holds, its export
is one line per paper for every JSON Lines reader and imports as the same state."""

from __future__ import annotations

import json
import tempfile
from contextlib import suppress
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from index import PaperState, UserDB, normalise_tag
from index.export import LINE_BREAKS, json_line
from index.state_transfer import export_lines, import_lines
from index.text import without_surrogates

KEYS = st.text(st.characters(exclude_categories=("Cs",)), min_size=1).filter(
    lambda key: key.strip() == key
)
TIMES = st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(2**53), 2**53)
RECORDS = st.fixed_dictionaries(
    {
        "key": KEYS,
        "read": st.booleans(),
        "starred": st.booleans(),
        "tags": st.lists(st.text()),
        "note": st.text(),
        "note_updated": TIMES,
    }
)


def expected(record: dict) -> PaperState:
    """The state an imported record leaves in an empty library."""
    tags = set()
    for tag in record["tags"]:
        with suppress(ValueError):
            tags.add(normalise_tag(tag))
    note = without_surrogates(record["note"])[0]
    return PaperState(
        record["key"],
        record["read"],
        record["starred"],
        tuple(sorted(tags)),
        note,
        float(record["note_updated"]) if note else None,
    )


def test_every_character_python_reads_as_a_line_break_is_escaped() -> None:
    breaks = "".join(c for c in map(chr, range(0x110000)) if len(f"a{c}b".splitlines()) > 1)
    assert set(LINE_BREAKS) == set(breaks)
    line = json_line({"key": "k", "note": f"<{breaks}>"})
    assert len(line.splitlines()) == 1 and json.loads(line)["note"] == f"<{breaks}>"
    assert "é" in json_line({"key": "é"})  # kept readable: UTF-8, not escapes


@settings(max_examples=60, deadline=None)
@given(st.lists(RECORDS, max_size=6, unique_by=lambda record: record["key"]))
def test_an_exported_state_imports_as_the_same_state(records: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        here, there = UserDB(Path(folder) / "here"), UserDB(Path(folder) / "there")
        data = "".join(json.dumps(record) + "\n" for record in records).encode()
        report = import_lines(here, data)
        assert report.bad == []
        states = {k: s for k, s in map(lambda r: (r["key"], expected(r)), records)}
        kept = {k: s for k, s in states.items() if s != PaperState(k)}
        assert here.all_states() == kept

        text = "".join(line + "\n" for line in export_lines(here))
        assert len(text.splitlines()) == len(kept)
        assert [json.loads(line)["key"] for line in text.splitlines()] == sorted(kept)
        again = import_lines(there, text.encode())
        assert again.bad == [] and again.changed == len(kept)
        assert there.all_states() == kept
        assert "".join(line + "\n" for line in export_lines(there)) == text
        here.close()
        there.close()
