"""wfm.report.documents: the JSON layout (json.dumps(indent=2), a flat record per line) and Rows, which writes
columns as their records would be written without holding every row at once."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.report import documents
from wfm.report.documents import Rows, records, to_json

_SCALARS = (st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(max_size=8))
_NESTED = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                              max_size=4), max_leaves=25)


def _holds_a_record_list(value: object) -> bool:
    """Whether some list in ``value`` holds a mapping (to_json may write such a list a record per line)."""
    if isinstance(value, dict):
        return any(_holds_a_record_list(v) for v in value.values())
    if isinstance(value, list):
        return any(isinstance(v, dict) or _holds_a_record_list(v) for v in value)
    return False


@pytest.mark.slow  # 150 hypothesis examples of nested documents: run by CI, skipped by -m 'not slow'
@settings(max_examples=150, deadline=None)
@given(_NESTED)
def test_any_document_reads_back_and_is_indented_as_json_dumps_writes_it(document) -> None:
    text = to_json({"d": document})
    assert text.endswith("\n") and json.loads(text) == {"d": document}
    if not _holds_a_record_list(document):
        assert text == json.dumps({"d": document}, indent=2, ensure_ascii=False) + "\n"


def test_a_list_of_flat_records_has_one_record_per_line_and_infinities_are_null() -> None:
    document = {"total": {"agents": 3}, "intervals": [{"queue": "a", "asa_s": 1.5}, {"queue": "é", "asa_s": math.inf}],
                "nested": [{"x": [1]}]}
    assert to_json(document) == (
        '{\n  "total": {\n    "agents": 3\n  },\n  "intervals": [\n    {"queue": "a", "asa_s": 1.5},\n'
        '    {"queue": "é", "asa_s": null}\n  ],\n  "nested": [\n    {\n      "x": [\n        1\n      ]\n    }\n'
        '  ]\n}\n')


@pytest.mark.parametrize("block", [1, 3, 4, 10, 8192])
def test_rows_are_written_as_their_records_are_whatever_the_block(monkeypatch, block: int) -> None:
    """Rows makes Python rows a block at a time (a 200,000-interval `wfm size --format json` peaked at 560 MB with
    every row a dict at once); the text is the records' text at any block size, across block edges."""
    monkeypatch.setattr(Rows, "BLOCK", block)
    columns = {"queue": np.array(["a", "b", "c", "d", "e", "f", "g", "h", "i"]),
               "agents": np.arange(9), "asa_s": np.array([0.5, math.inf, 2.25, 0.0, -0.0, 1e300, 3.0, 4.0, 5.0])}
    for document in ({"intervals": columns}, {"intervals": {k: v[:1] for k, v in columns.items()}},
                     {"intervals": {k: v[:0] for k, v in columns.items()}}):
        expected = to_json({"pad": 1, "intervals": records(document["intervals"])})
        assert to_json({"pad": 1, "intervals": Rows(document["intervals"])}) == expected


def test_the_requirement_document_writes_every_interval_as_before(monkeypatch) -> None:
    """`wfm size --format json` bytes are those of every interval's record written whole."""
    from conftest import SAMPLES

    import wfm

    requirement = wfm.size(wfm.load_forecast(SAMPLES / "multi_queue_30min.csv"), wfm.Settings())
    document = documents.requirement_document(requirement)
    whole = dict(document, intervals=records(documents.requirement_columns(requirement)))
    monkeypatch.setattr(Rows, "BLOCK", 100)  # the sample's 1,000-odd intervals over several blocks
    assert to_json(document) == to_json(whole)
    assert len(json.loads(to_json(document))["intervals"]) == len(requirement.agents)


@pytest.mark.parametrize("comma_in_part", [None, 0, 2])
def test_many_rows_are_written_in_parts_side_by_side_as_one_part_writes_them(monkeypatch, comma_in_part) -> None:
    """From PARALLEL_ROWS rows on, one part per usable CPU, each written in a thread: the bytes of one part. A
    value with a comma in any part quotes the texts of every part, as one part would."""
    from wfm import workers
    from wfm.report.columns import Blanks, Labels

    rng = np.random.default_rng(5)
    names = ["north", "south", "a,b"]
    codes = rng.integers(0, 2, 1000)
    if comma_in_part is not None:
        codes[comma_in_part * 334 + 7] = 2
    columns = {"queue": Labels(names, codes), "traffic_erlangs": np.round(rng.uniform(0, 500, 1000), 4),
               "agents": rng.integers(0, 600, 1000), "asa_s": Blanks(np.where(codes == 1, np.nan, 12.5))}
    monkeypatch.setattr(workers, "usable_cpus", lambda: 1)
    one_part = documents.to_csv(columns)
    assert (b'"a,b"' in one_part) == (comma_in_part is not None)
    monkeypatch.setattr(workers, "PARALLEL_ROWS", 500)
    monkeypatch.setattr(workers, "usable_cpus", lambda: 3)
    parts: list[int] = []
    in_threads = workers.map_in_threads
    monkeypatch.setattr(workers, "map_in_threads", lambda f, args: parts.append(len(args)) or in_threads(f, args))
    assert documents.to_csv(columns) == one_part
    assert parts == ([3] if comma_in_part is None else [3, 3])
    assert documents.to_csv({name: values[:0] if isinstance(values, np.ndarray) else values
                             for name, values in columns.items() if isinstance(values, np.ndarray)}) == \
        b"traffic_erlangs,agents\n"
