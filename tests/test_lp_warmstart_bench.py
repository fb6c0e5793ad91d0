"""bench/lp_warmstart.py (the B&B-style warm-start micro-benchmark) on the small test MIPs."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("highspy")

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "lp_warmstart.py"
DATA = ROOT / "tests" / "data" / "mip"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("lp_warmstart_bench", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_warm_resolves_agree_with_highs_and_beat_cold(bench):
    paths = bench.expand([str(DATA / "*.mps.gz")])
    assert len(paths) == len(list(DATA.glob("*.mps.gz"))) >= 5
    rows = bench.run(paths, branchings=6, seed=0, time_limit=20)
    assert [r["disagreements"] for r in rows] == [[]] * len(rows)
    assert all(r["skipped"] is None and r["branchings"] == 6 for r in rows)
    steps = [s for r in rows for s in r["steps"]]
    assert all(s["warm"]["status"] in ("optimal", "infeasible") for s in steps)
    assert any(s["how"] == "random" for s in steps)        # afiro has no integer column
    # every branching changes a bound away from the root's
    assert all(s["dir"] == ("down" if s["k"] % 2 == 0 else "up") or s["how"] == "random" for s in steps)
    sampled = [s for s in steps if "cold" in s]
    assert len(sampled) == 2 * len(rows)                    # branchings 0 and 5
    warm = sum(s["warm"]["iterations"] for s in sampled) / len(sampled)
    cold = sum(s["cold"]["iterations"] for s in sampled) / len(sampled)
    assert warm < 0.25 * cold
    all_warm = sum(s["warm"]["iterations"] for s in steps) / len(steps)
    assert all_warm < 0.25 * sum(r["cold_iterations"] for r in rows) / len(rows)
    s = bench.summary(rows)
    assert s["ratio_total"] < 0.25 and s["highs_ratio_total"] < 0.25 and not s["disagreements"]


def test_main_writes_its_markdown_section(bench, tmp_path, capsys):
    md = tmp_path / "RESULTS.md"
    md.write_text("# Results\n\nother text\n")
    argv = ["--instances", str(DATA / "*.mps.gz"), "--branchings", "6", "--markdown", str(md), "-q"]
    assert bench.main(argv) == 0
    out = capsys.readouterr().out
    assert "vpm1.mps.gz" in out and "Disagreements: 0" in out
    assert bench.main(argv) == 0                            # the section is replaced, not added twice
    text = md.read_text()
    assert text.startswith("# Results\n\nother text\n")
    assert text.count(bench.SECTION_BEGIN) == 1 and text.count(bench.SECTION_END) == 1
    assert "Command: `python " in text and "--branchings 6" in text and "highspy" in text
    assert "| `p0033.mps.gz` |" in text


def test_no_instances_is_a_usage_error(bench, tmp_path):
    assert bench.main(["--instances", str(tmp_path / "*.mps.gz"), "-q"]) == 2


def test_a_disagreement_is_loud_and_exits_1(bench, monkeypatch, capsys):
    solve = bench.HighsLp.solve

    def slightly_off(self):
        st, obj, its, wall = solve(self)
        return st, obj * (1 + 1e-4) + 1.0, its, wall

    monkeypatch.setattr(bench.HighsLp, "solve", slightly_off)
    assert bench.main(["--instances", str(DATA / "flugpl.mps.gz"), "--branchings", "2", "-q"]) == 1
    out = capsys.readouterr().out
    assert "DISAGREEMENT(S)" in out and "flugpl.mps.gz root" in out
