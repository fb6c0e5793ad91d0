"""Tests of the benchmark report (satmip.bench.report) and plots (satmip.bench.plots).

Every expected number below was worked out by hand from the small table in
`table_records()`; the derivations are in the comments next to the asserts.
"""
from __future__ import annotations

import csv
import io
import json
import struct

import pytest

from satmip.bench.report import (
    SOLVED,
    disagreements,
    load_records,
    shifted_geometric_mean,
    summarize,
    write_runs_csv,
)

LIMIT = 10.0
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def rec(solver, instance, status, time=None, *, family=None, expected=None, answer=None,
        nodes=None, stats=None, cpu=None, rss=None, objective=None, optimal_objective=None,
        error=None, kind="sat", key=None):
    """One record as the harness writes it (fields of SCHEMA.md)."""
    stats = dict(stats or {})
    if nodes is not None:
        stats["nodes"] = nodes
    return {
        "key": key or f"{solver}|{instance}|{LIMIT:g}", "solver": solver, "instance": instance,
        "family": family, "kind": kind, "expected": expected,
        "optimal_objective": optimal_objective, "status": status,
        "answer": answer if answer is not None else (status if status in SOLVED else None),
        "time": time, "wall": (time or LIMIT) + 0.05, "cpu": cpu, "peak_rss_mb": rss,
        "time_limit": LIMIT, "memory_limit_mb": 4096, "objective": objective,
        "dual_bound": None, "stats": stats, "verified": "model", "error": error,
        "host": "test", "started": "2024-01-01T00:00:00", "version": "1",
    }


def table_records():
    """3 solvers x 4 instances, time limit 10 s.

                 a.cnf (easy)   b.cnf (easy)     c.cnf (hard)  d.cnf (hard)
    expected     SAT            UNSAT            SAT           SAT
    satmip       SAT 1  n=10    UNSAT 3    n=30  TIMEOUT       SAT 7 n=70
    minisat      SAT 3  n=50    UNSAT 3.02 n=20  MEMOUT        WRONG 0.5 (claimed SAT)
    other:x      SAT 0.5        UNSAT 5          (missing)     ERROR
    """
    return [
        rec("satmip", "a.cnf", "SAT", 1.0, family="easy", expected="SAT", nodes=10, cpu=1.1, rss=100.0),
        rec("satmip", "b.cnf", "UNSAT", 3.0, family="easy", expected="UNSAT", nodes=30, cpu=3.1, rss=200.0),
        rec("satmip", "c.cnf", "TIMEOUT", None, family="hard", expected="SAT", cpu=10.5, rss=1500.0,
            error="time limit"),
        rec("satmip", "d.cnf", "SAT", 7.0, family="hard", expected="SAT", nodes=70, cpu=7.2, rss=300.0),
        rec("minisat", "a.cnf", "SAT", 3.0, family="easy", expected="SAT", nodes=50),
        rec("minisat", "b.cnf", "UNSAT", 3.02, family="easy", expected="UNSAT", nodes=20),
        rec("minisat", "c.cnf", "MEMOUT", None, family="hard", expected="SAT", error="memory limit"),
        rec("minisat", "d.cnf", "WRONG", 0.5, family="hard", expected="SAT", answer="SAT",
            error="model falsifies clause 5"),
        rec("other:x", "a.cnf", "SAT", 0.5, family="easy", expected="SAT"),
        rec("other:x", "b.cnf", "UNSAT", 5.0, family="easy", expected="UNSAT", stats={"conflicts": 12}),
        rec("other:x", "d.cnf", "ERROR", None, family="hard", expected="SAT", error="crashed"),
    ]


@pytest.fixture
def summary():
    return summarize(table_records())


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------


def test_shifted_geometric_mean_by_hand():
    # (1+1)*(3+1)*(7+1) = 64, cube root 4, minus the shift 1 -> 3
    assert shifted_geometric_mean([1, 3, 7], 1.0) == pytest.approx(3.0)
    # shift 0: plain geometric mean of 2 and 8 is 4
    assert shifted_geometric_mean([2, 8], 0.0) == pytest.approx(4.0)
    assert shifted_geometric_mean([], 1.0) is None


def test_solver_order_instances_and_counts(summary):
    assert summary.solvers == ["satmip", "minisat", "other:x"]   # first appearance
    assert summary.instances == ["a.cnf", "b.cnf", "c.cnf", "d.cnf"]
    s, m, o = (summary.rows[n] for n in summary.solvers)
    assert (s.runs, s.solved, s.count("SAT"), s.count("UNSAT"), s.count("TIMEOUT")) == (4, 3, 2, 1, 1)
    assert (m.runs, m.solved, m.count("MEMOUT"), m.count("WRONG"), m.count("SAT")) == (4, 2, 1, 1, 1)
    assert (o.runs, o.solved, o.count("ERROR"), o.missing) == (3, 2, 1, 1)
    assert s.missing == 0 and m.missing == 0
    assert m.count("UNKNOWN") == 0 and m.count("FEASIBLE") == 0


def test_par2_means(summary):
    # unsolved (TIMEOUT, MEMOUT, WRONG, ERROR, missing) count 2 x 10 = 20 s
    # satmip:  (1 + 3 + 20 + 7) / 4      = 31 / 4    = 7.75
    # minisat: (3 + 3.02 + 20 + 20) / 4  = 46.02 / 4 = 11.505
    # other:x: (0.5 + 5 + 20 + 20) / 4   = 45.5 / 4  = 11.375
    assert summary.rows["satmip"].par_score == pytest.approx(7.75)
    assert summary.rows["minisat"].par_score == pytest.approx(11.505)
    assert summary.rows["other:x"].par_score == pytest.approx(11.375)


def test_par10_uses_factor():
    # satmip with PAR-10: (1 + 3 + 100 + 7) / 4 = 27.75
    assert summarize(table_records(), par=10.0).rows["satmip"].par_score == pytest.approx(27.75)


def test_sgm_time_shift_1(summary):
    # unsolved count at the limit 10, so t + 1 = 11
    # satmip:  (2 * 4 * 11 * 8)^(1/4) - 1      = 704^(1/4) - 1     = 4.151019
    # minisat: (4 * 4.02 * 11 * 11)^(1/4) - 1  = 1945.68^(1/4) - 1 = 5.641526
    # other:x: (1.5 * 6 * 11 * 11)^(1/4) - 1   = 1089^(1/4) - 1 = sqrt(33) - 1 = 4.744563
    assert summary.rows["satmip"].sgm_time == pytest.approx(4.151019, abs=1e-5)
    assert summary.rows["minisat"].sgm_time == pytest.approx(5.641526, abs=1e-5)
    assert summary.rows["other:x"].sgm_time == pytest.approx(4.744563, abs=1e-5)


def test_ratios_vs_first_solver(summary):
    # PAR-2: 11.505 / 7.75 = 1.484516, 11.375 / 7.75 = 1.467742
    # sgm:   5.641526 / 4.151019 = 1.359070, 4.744563 / 4.151019 = 1.142987
    assert summary.rows["satmip"].par_ratio == pytest.approx(1.0)
    assert summary.rows["minisat"].par_ratio == pytest.approx(1.484516, abs=1e-5)
    assert summary.rows["other:x"].par_ratio == pytest.approx(1.467742, abs=1e-5)
    assert summary.rows["minisat"].sgm_ratio == pytest.approx(1.359070, abs=1e-5)
    assert summary.rows["other:x"].sgm_ratio == pytest.approx(1.142987, abs=1e-5)


def test_vbs_ignores_wrong_answers(summary):
    # best correct times: a 0.5 (other:x), b 3 (satmip), c nobody, d 7 (satmip;
    # minisat's 0.5 is WRONG and must not count)
    # solved 3; PAR-2 (0.5 + 3 + 20 + 7) / 4 = 7.625
    # sgm (1.5 * 4 * 11 * 8)^(1/4) - 1 = 528^(1/4) - 1 = 3.793563
    vbs = summary.vbs
    assert vbs.solved == 3
    assert vbs.times == {"a.cnf": 0.5, "b.cnf": 3.0, "c.cnf": None, "d.cnf": 7.0}
    assert vbs.par_score == pytest.approx(7.625)
    assert vbs.sgm_time == pytest.approx(3.793563, abs=1e-5)


def test_wins_and_ties(summary):
    # a: other:x 0.5 alone fastest; b: satmip 3 and minisat 3.02 tie (0.02 <= max(0.01, 1% of 3));
    # c: nobody; d: satmip (the WRONG 0.5 is not an answer)
    assert [summary.rows[s].wins for s in summary.solvers] == [1, 0, 1]
    assert [summary.rows[s].tied_wins for s in summary.solvers] == [1, 1, 0]


def test_node_sgm_over_instances_every_solver_solved(summary):
    # solved by all three: a and b only (c nobody, d minisat WRONG / other:x ERROR)
    # satmip:  sqrt(110 * 130) - 100 = sqrt(14300) - 100 = 19.582607
    # minisat: sqrt(150 * 120) - 100 = sqrt(18000) - 100 = 34.164079
    # other:x reports no nodes -> None
    assert summary.rows["satmip"].sgm_nodes == pytest.approx(19.582607, abs=1e-5)
    assert summary.rows["minisat"].sgm_nodes == pytest.approx(34.164079, abs=1e-5)
    assert summary.rows["satmip"].sgm_nodes_instances == 2
    assert summary.rows["other:x"].sgm_nodes is None


def test_resources(summary):
    # satmip cpu 1.1 + 3.1 + 10.5 + 7.2 = 21.9, peak RSS max(100, 200, 1500, 300) = 1500
    assert summary.rows["satmip"].cpu_total == pytest.approx(21.9)
    assert summary.rows["satmip"].peak_rss_max == pytest.approx(1500.0)
    assert summary.rows["minisat"].cpu_total is None


def test_per_family(summary):
    # easy = {a, b}: satmip 2/2 (1 + 3) / 2 = 2; minisat 2/2 (3 + 3.02) / 2 = 3.01;
    #                other:x 2/2 (0.5 + 5) / 2 = 2.75; VBS (0.5 + 3) / 2 = 1.75
    # hard = {c, d}: satmip 1/2 (20 + 7) / 2 = 13.5; minisat 0/2 20; other:x 0/2 20 (missing + ERROR)
    fam = summary.families
    assert list(fam) == ["easy", "hard"]
    got = {(f, s): (c.solved, c.total, round(c.par_score, 6)) for f, cells in fam.items()
           for s, c in cells.items()}
    assert got[("easy", "satmip")] == (2, 2, 2.0)
    assert got[("easy", "minisat")] == (2, 2, 3.01)
    assert got[("easy", "other:x")] == (2, 2, 2.75)
    assert got[("easy", "VBS")] == (2, 2, 1.75)
    assert got[("hard", "satmip")] == (1, 2, 13.5)
    assert got[("hard", "minisat")] == (0, 2, 20.0)
    assert got[("hard", "other:x")] == (0, 2, 20.0)
    assert got[("hard", "VBS")] == (1, 2, 13.5)


def test_no_family_table_without_families():
    records = [dict(r, family=None) for r in table_records()]
    assert summarize(records).families == {}


def test_solvers_argument_orders_and_filters():
    s = summarize(table_records(), solvers=["other:x", "satmip"])
    assert s.solvers == ["other:x", "satmip"]
    assert set(s.rows) == {"other:x", "satmip"}
    # first solver is now other:x: satmip's PAR-2 ratio is 7.75 / 11.375
    assert s.rows["satmip"].par_ratio == pytest.approx(7.75 / 11.375)
    # without minisat's records, d's WRONG line disappears
    assert not any("WRONG" in line for line in s.disagreements)
    assert any("left out" in n for n in s.notes)


def test_duplicate_run_keeps_last():
    records = table_records() + [rec("satmip", "c.cnf", "SAT", 9.0, family="hard", key="rerun")]
    s = summarize(records)
    # c now solved by satmip at 9: PAR-2 (1 + 3 + 9 + 7) / 4 = 5
    assert s.rows["satmip"].par_score == pytest.approx(5.0)
    assert s.rows["satmip"].runs == 4
    assert any("repeated" in n for n in s.notes)


def test_per_instance_cells(summary):
    row = {r.instance: r for r in summary.per_instance}
    assert row["d.cnf"].cells["minisat"].wrong
    assert row["d.cnf"].cells["minisat"].answer == "SAT"
    assert row["c.cnf"].cells["other:x"].status is None          # missing
    assert row["a.cnf"].cells["satmip"].status == "SAT"
    assert row["a.cnf"].family == "easy" and row["b.cnf"].expected == "UNSAT"


# ---------------------------------------------------------------------------
# Disagreements
# ---------------------------------------------------------------------------


def disagreement_records():
    mip = dict(kind="mip")
    return [
        # agreeing, as expected: no line
        rec("s1", "w.cnf", "SAT", 1.0, expected="SAT"),
        rec("s2", "w.cnf", "SAT", 2.0, expected="SAT"),
        # SAT vs UNSAT
        rec("s1", "x.cnf", "SAT", 1.0),
        rec("s2", "x.cnf", "UNSAT", 2.0),
        # UNSAT where the manifest says SAT, not marked WRONG by the harness
        rec("s1", "y.cnf", "UNSAT", 1.0, expected="SAT"),
        # WRONG
        rec("s2", "z.cnf", "WRONG", 0.1, answer="SAT", error="model falsifies clause 3"),
        # objectives: 10 vs 10.0000001 within 1e-6 relative, 10.5 is not
        rec("s1", "m1.lp", "OPTIMAL", 1.0, objective=10.0, **mip),
        rec("s2", "m1.lp", "OPTIMAL", 1.0, objective=10.0000001, **mip),
        rec("s3", "m1.lp", "OPTIMAL", 1.0, objective=10.5, **mip),
        # 1e6 vs 1e6 + 0.5: tolerance 1e-6 * 1e6 = 1, so these agree
        rec("s1", "m2.lp", "OPTIMAL", 1.0, objective=1e6, **mip),
        rec("s2", "m2.lp", "OPTIMAL", 1.0, objective=1e6 + 0.5, **mip),
        # INFEASIBLE vs a solution found
        rec("s1", "m3.lp", "INFEASIBLE", 1.0, **mip),
        rec("s2", "m3.lp", "FEASIBLE", 10.0, objective=3.0, **mip),
    ]


def test_disagreement_lines():
    lines = disagreements(disagreement_records())
    # 1 WRONG + x conflict + y expected + m1 objectives + m3 conflict (w and m2 agree)
    assert len(lines) == 5, lines
    wrong, *rest = lines
    assert wrong.startswith("WRONG ANSWER") and "s2" in wrong and "z.cnf" in wrong
    assert "model falsifies clause 3" in wrong and "claimed SAT" in wrong
    by_instance = {}
    for line in rest:
        for name in ("x.cnf", "y.cnf", "m1.lp", "m2.lp", "m3.lp", "w.cnf"):
            if f" {name}" in line:
                by_instance.setdefault(name, []).append(line)
    assert set(by_instance) == {"x.cnf", "y.cnf", "m1.lp", "m3.lp"}
    x_line, = by_instance["x.cnf"]
    assert x_line.startswith("CONFLICT") and "s1 says SAT" in x_line and "s2 says UNSAT" in x_line
    y_line, = by_instance["y.cnf"]
    assert y_line.startswith("CONTRADICTS EXPECTED") and "s1 says UNSAT" in y_line
    m1_line, = by_instance["m1.lp"]
    assert m1_line.startswith("OBJECTIVE MISMATCH") and "s3=10.5" in m1_line


def test_infeasible_vs_feasible_conflict():
    lines = disagreements(disagreement_records())
    m3 = [line for line in lines if "m3.lp" in line]
    assert len(m3) == 1 and m3[0].startswith("CONFLICT")
    assert "s1 says INFEASIBLE" in m3[0] and "s2 says FEASIBLE" in m3[0]


def test_objective_tolerance_is_a_parameter():
    # with tol 1e-9, 10 vs 10.0000001 and 1e6 vs 1e6 + 0.5 both mismatch
    lines = disagreements(disagreement_records(), obj_tol=1e-9)
    assert sum(line.startswith("OBJECTIVE MISMATCH") for line in lines) == 2


def test_known_optimum_contradiction():
    records = [rec("s1", "m.lp", "OPTIMAL", 1.0, objective=5.0, optimal_objective=4.0,
                   expected="OPTIMAL", kind="mip")]
    lines = disagreements(records)
    assert len(lines) == 1 and lines[0].startswith("CONTRADICTS KNOWN OPTIMUM")


def test_agreeing_runs_have_no_disagreements():
    records = [r for r in table_records() if r["status"] != "WRONG"]
    assert disagreements(records) == []


# ---------------------------------------------------------------------------
# Output formats
# ---------------------------------------------------------------------------


def markdown_table(text, first_header):
    """Rows (dicts) of the Markdown table whose header row starts with first_header."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith(f"| {first_header} |"))
    cells = lambda line: [c.strip() for c in line.strip().strip("|").split(" | ")]
    headers = cells(lines[start])
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(headers, cells(line))))
    return rows


def test_terminal_banner_and_tables(summary):
    text = summary.to_terminal()
    lines = text.splitlines()
    # the banner comes first: 1 WRONG answer in the table
    assert "!!! 1 DISAGREEMENT(S) / WRONG ANSWER(S) !!!" in lines[:3]
    assert any("WRONG ANSWER: minisat on d.cnf" in l for l in lines[:6])
    assert "PAR-2 (mean s)" in text
    satmip_line = next(l for l in lines if l.startswith("satmip "))
    assert "7.75" in satmip_line and "4.15" in satmip_line
    vbs_line = next(l for l in lines if l.startswith("VBS"))
    assert "3.79" in vbs_line
    assert any(l.startswith("NOTE: MISSING: other:x") and "c.cnf" in l for l in lines)
    assert max(len(l) for l in lines) <= 120


def test_terminal_without_disagreements_has_no_banner():
    records = [r for r in table_records() if r["status"] != "WRONG"]
    assert "DISAGREEMENT" not in summarize(records).to_terminal()


def test_markdown_tables(summary):
    text = summary.to_markdown(header_lines=["# Results", "run on host X"])
    assert text.splitlines()[:2] == ["# Results", "run on host X"]
    assert "**!!! 1 DISAGREEMENT(S) / WRONG ANSWER(S) !!!**" in text
    main = {r["solver"]: r for r in markdown_table(text, "solver")}
    assert main["satmip"]["PAR-2 (mean s)"] == "7.75"
    assert main["minisat"]["sgm time (s, shift 1)"] == "5.64"
    assert main["other:x"]["sgm time (s, shift 1)"] == "4.74"
    assert main["other:x"]["missing"] == "1"
    assert main["minisat"]["WRONG"] == "1" and main["minisat"]["MEMOUT"] == "1"
    assert main["VBS (virtual best)"]["solved"] == "3"
    ratio_rows = {r["solver"]: r for r in _table_after(text, "### Ratios vs first solver")}
    assert ratio_rows["minisat"]["PAR-2 ratio"] == "1.48"
    assert ratio_rows["other:x"]["wins"] == "1"
    assert ratio_rows["satmip"]["sgm nodes (shift 100)"] == "19.58 (n=2)"
    family = {r["family"]: r for r in markdown_table(text, "family")}
    assert family["hard"]["satmip"] == "1/2  13.50"
    inst = {r["instance"]: r for r in markdown_table(text, "instance")}
    assert inst["`d.cnf`"]["minisat"] == "**!! WRONG !!** (claimed SAT) 0.50"
    assert inst["`c.cnf`"]["other:x"] == "missing"
    assert inst["`a.cnf`"]["satmip"] == "SAT 1.00"


def _table_after(text, heading):
    tail = text[text.index(heading):]
    return markdown_table(tail, "solver")


def test_summary_csv_round_trip(summary, tmp_path):
    path = tmp_path / "summary.csv"
    summary.to_csv(path)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["solver"] for r in rows] == ["satmip", "minisat", "other:x"]
    by = {r["solver"]: r for r in rows}
    assert float(by["satmip"]["par2_mean_s"]) == pytest.approx(7.75)
    assert float(by["minisat"]["sgm_time_s"]) == pytest.approx(5.641526, abs=1e-5)
    assert int(by["minisat"]["wrong"]) == 1 and int(by["other:x"]["missing"]) == 1
    assert int(by["satmip"]["timeout"]) == 1 and int(by["satmip"]["solved"]) == 3
    assert by["other:x"]["sgm_nodes"] == ""
    # a file object works too
    buffer = io.StringIO()
    summary.to_csv(buffer)
    assert buffer.getvalue().splitlines()[0].startswith("solver,runs,solved")


def test_runs_csv_flattens_stats(tmp_path):
    path = tmp_path / "runs.csv"
    write_runs_csv(table_records(), path)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 11
    assert "stats_nodes" in rows[0] and "stats_conflicts" in rows[0]
    first = rows[0]
    assert (first["solver"], first["instance"], first["status"]) == ("satmip", "a.cnf", "SAT")
    assert first["stats_nodes"] == "10" and first["stats_conflicts"] == ""
    conflicts = [r["stats_conflicts"] for r in rows if r["stats_conflicts"]]
    assert conflicts == ["12"]
    assert rows[2]["time"] == ""   # TIMEOUT: no time


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def test_load_records_truncated_last_line_and_duplicates(tmp_path):
    path = tmp_path / "results.jsonl"
    lines = [json.dumps({"key": "k1", "solver": "s", "instance": "a", "status": "TIMEOUT"}),
             json.dumps({"key": "k2", "solver": "s", "instance": "b", "status": "SAT"}),
             "",
             json.dumps({"key": "k1", "solver": "s", "instance": "a", "status": "SAT"}),
             '{"key": "k3", "solver": "s", "inst']
    path.write_text("\n".join(lines))
    with pytest.warns(UserWarning, match="truncated"):
        records = load_records(path)
    assert [(r["key"], r["status"]) for r in records] == [("k1", "SAT"), ("k2", "SAT")]


def test_load_records_torn_record_in_the_middle(tmp_path):
    # After a crash the store starts the next record on a fresh line, so a
    # resumed run leaves the torn record in the middle of the file.
    path = tmp_path / "results.jsonl"
    path.write_text('{"key": "k1", "status": "SAT"}\n{"key": "k2", "sta\n{"key": "k2", "status": "UNSAT"}\n')
    with pytest.warns(UserWarning, match=":2: skipping a truncated record"):
        records = load_records(path)
    assert records == [{"key": "k1", "status": "SAT"}, {"key": "k2", "status": "UNSAT"}]


def test_load_records_corrupt_middle_line_raises(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text('{"key": "k1"}\nnot json\n{"key": "k2"}\n')
    with pytest.raises(ValueError, match=":2:"):
        load_records(path)
    path.write_text('{"key": "k1"}\n[1, 2]\n')
    with pytest.raises(ValueError, match="JSON object"):
        load_records(path)


def test_load_records_complete_file_no_warning(tmp_path, recwarn):
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in table_records()))
    assert load_records(path) == table_records()
    assert not [w for w in recwarn if "truncated" in str(w.message)]


# ---------------------------------------------------------------------------
# Plots
# ---------------------------------------------------------------------------


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])   # IHDR follows the magic
    return width, height


def test_cactus_series():
    from satmip.bench.plots import cactus_series
    series = cactus_series(table_records())
    assert series["satmip"] == [1.0, 3.0, 7.0]
    assert series["minisat"] == [3.0, 3.02]        # the WRONG 0.5 is not solved
    assert series["other:x"] == [0.5, 5.0]
    assert series["VBS"] == [0.5, 3.0, 7.0]


def test_scatter_points_put_unsolved_on_the_border():
    from satmip.bench.plots import scatter_points
    data = scatter_points(table_records(), "satmip", "minisat")
    points = {p.instance: p for p in data.points}
    border = 1.5 * LIMIT
    assert data.border == border
    assert (points["a.cnf"].x, points["a.cnf"].y, points["a.cnf"].category) == (1.0, 3.0, "sat")
    assert points["b.cnf"].category == "unsat"
    assert (points["c.cnf"].x, points["c.cnf"].y, points["c.cnf"].category) == (border, border, "unsolved")
    assert (points["d.cnf"].x, points["d.cnf"].y, points["d.cnf"].category) == (7.0, border, "wrong")
    # a and d: satmip faster (above the diagonal); b a tie; c both unsolved
    assert data.counts == {"x_faster": 2, "y_faster": 0, "tie": 1, "both_unsolved": 1}


def test_scatter_with_missing_run():
    from satmip.bench.plots import scatter_points
    data = scatter_points(table_records(), "satmip", "other:x")
    points = {p.instance: p for p in data.points}
    # other:x has no c.cnf record: unsolved on the border, like satmip's TIMEOUT
    assert points["c.cnf"].y == 1.5 * LIMIT and points["c.cnf"].category == "unsolved"
    # a: other:x faster (0.5 vs 1); b: satmip (3 vs 5); d: satmip (other:x ERROR)
    assert data.counts == {"x_faster": 2, "y_faster": 1, "tie": 0, "both_unsolved": 1}


def test_plot_files_are_pngs(tmp_path):
    from satmip.bench.plots import cactus_plot, plot_all, scatter_plot
    cactus = cactus_plot(table_records(), tmp_path / "c.png", title="test")
    scatter = scatter_plot(table_records(), "satmip", "minisat", tmp_path / "s.png")
    for path in (cactus, scatter):
        width, height = png_size(path)
        assert width >= 400 and height >= 400

    paths = plot_all(table_records(), tmp_path / "all")
    assert [p.name for p in paths] == ["cactus.png", "scatter_satmip_vs_minisat.png",
                                       "scatter_satmip_vs_other_x.png"]
    for path in paths:
        png_size(path)


def test_plot_all_with_baseline(tmp_path):
    from satmip.bench.plots import plot_all
    paths = plot_all(table_records(), tmp_path, baseline="other:x")
    assert sorted(p.name for p in paths) == ["cactus.png", "scatter_other_x_vs_minisat.png",
                                             "scatter_other_x_vs_satmip.png"]
