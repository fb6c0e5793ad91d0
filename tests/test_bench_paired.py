"""satmip.bench.paired: configurations x seeds x instances from CONFIG-sSEED labels.

Every expected number was worked out by hand from `grid_records()`; the derivations
are next to the asserts.
"""
from __future__ import annotations

import json
import math

import pytest

from satmip.bench import paired

LIMIT = 10.0


def rec(solver, instance, status, time=None, family="f", expected="SAT"):
    solved = status in ("SAT", "UNSAT")
    return {"key": f"{solver}|{instance}", "solver": solver, "instance": instance, "family": family,
            "expected": expected, "status": status, "answer": status if solved else None,
            "time": time, "wall": time or LIMIT, "time_limit": LIMIT}


def grid_records():
    """limit 10 s, PAR-2: unsolved = 20 s.

                  a (fam x)   b (fam x)   c (fam y)   d (fam y, only default-s1)
    default-s1    SAT 1       SAT 2       TIMEOUT     SAT 1
    default-s2    SAT 3       SAT 2       TIMEOUT
    model-s1      SAT 0.5     SAT 4       SAT 5
    model-s2      SAT 0.5     SAT 4       TIMEOUT
    kissat        (no -sSEED label: ignored)
    """
    return [
        rec("default-s1", "a", "SAT", 1.0, "x"), rec("default-s1", "b", "SAT", 2.0, "x"),
        rec("default-s1", "c", "TIMEOUT", None, "y"), rec("default-s1", "d", "SAT", 1.0, "y"),
        rec("default-s2", "a", "SAT", 3.0, "x"), rec("default-s2", "b", "SAT", 2.0, "x"),
        rec("default-s2", "c", "TIMEOUT", None, "y"),
        rec("model-s1", "a", "SAT", 0.5, "x"), rec("model-s1", "b", "SAT", 4.0, "x"),
        rec("model-s1", "c", "SAT", 5.0, "y"),
        rec("model-s2", "a", "SAT", 0.5, "x"), rec("model-s2", "b", "SAT", 4.0, "x"),
        rec("model-s2", "c", "TIMEOUT", None, "y"),
        rec("kissat", "a", "SAT", 0.1, "x"),
    ]


@pytest.fixture
def grid():
    return paired.build_grid(grid_records())


def test_labels_split_into_config_and_seed():
    assert paired.split_label("model+scores-s12") == ("model+scores", 12)
    assert paired.split_label("jw-s0") == ("jw", 0)
    assert paired.split_label("kissat") is None
    assert paired.split_label("default-seed1") is None


def test_grid_keeps_complete_instances_only(grid):
    assert grid.configs == ["default", "model"] and grid.seeds == [1, 2]
    assert grid.instances == ["a", "b", "c"] and grid.left_out == ["d"]
    assert grid.ignored_labels == ["kissat"]


def test_pooled_rows_by_hand(grid):
    by = {r.config: r for r in paired.rows(grid, "default")}
    d, m = by["default"], by["model"]
    assert (d.runs, d.solved, d.sat, d.unsat) == (6, 4, 4, 0)
    assert d.par == pytest.approx((1 + 2 + 20 + 3 + 2 + 20) / 6)          # 8.0
    assert (m.runs, m.solved) == (6, 5)
    assert m.par == pytest.approx((0.5 + 4 + 5 + 0.5 + 4 + 20) / 6)        # 5.667
    assert m.par_ratio == pytest.approx(34 / 48)
    # sgm: unsolved at the limit (10), shift 1
    sgm_d = math.exp(sum(math.log(t + 1) for t in (1, 2, 10, 3, 2, 10)) / 6) - 1
    assert d.sgm == pytest.approx(sgm_d) and d.sgm_ratio == pytest.approx(1.0)
    # paired on seed means: default a=2, b=2, c=20; model a=0.5, b=4, c=12.5
    assert m.gm_ratio == pytest.approx((0.25 * 2.0 * 0.625) ** (1 / 3))
    assert m.median_ratio == pytest.approx(0.625)
    assert (m.wins, m.losses, m.ties) == (2, 1, 0)
    assert m.p_sign == pytest.approx(1.0)                                   # 2 * (1 + 3) / 8, capped
    assert (d.wins, d.losses, d.ties, d.gm_ratio) == (0, 0, 3, pytest.approx(1.0))


def test_one_seed_and_a_subset(grid):
    by = {r.config: r for r in paired.rows(grid, "default", seeds=[1])}
    assert by["default"].par == pytest.approx(23 / 3) and by["model"].par == pytest.approx(9.5 / 3)
    by = {r.config: r for r in paired.rows(grid, "default", instances=["c"])}
    assert by["model"].solved == 1 and by["model"].gm_ratio == pytest.approx(12.5 / 20)


def test_ties_within_five_percent_or_five_hundredths():
    records = [rec("default-s1", "a", "SAT", 1.00), rec("model-s1", "a", "SAT", 1.04),
               rec("default-s1", "b", "SAT", 10.0), rec("model-s1", "b", "SAT", 9.6),
               rec("default-s1", "c", "SAT", 0.01), rec("model-s1", "c", "SAT", 0.06)]
    m = {r.config: r for r in paired.rows(paired.build_grid(records), "default")}["model"]
    assert (m.wins, m.losses, m.ties) == (0, 0, 3)
    records[1] = rec("model-s1", "a", "SAT", 1.06)
    m = {r.config: r for r in paired.rows(paired.build_grid(records), "default")}["model"]
    assert (m.wins, m.losses, m.ties) == (0, 1, 2)


def test_sign_test_exact():
    assert paired.sign_test(10, 0) == pytest.approx(2 / 1024)
    assert paired.sign_test(0, 0) == 1.0
    assert paired.sign_test(3, 3) == 1.0
    assert paired.sign_test(1, 7) == pytest.approx(2 * 9 / 256)


def test_groups_by_status_family_and_column(grid):
    extra = {"a": {"size_class": "train"}, "b": {"size_class": "above"}, "c": {"size_class": "above"}}
    got = {(name, value): insts for name, value, insts in paired.groups(grid, extra, ["size_class"])}
    assert ("status", "SAT") not in got            # one known status only: no status grouping
    assert got[("family", "x")] == ["a", "b"] and got[("family", "y")] == ["c"]
    assert got[("size_class", "above")] == ["b", "c"]
    assert got[("family x size_class", "x / train")] == ["a"]


def test_report_and_markdown_section(tmp_path, capsys):
    results = tmp_path / "r.jsonl"
    results.write_text("".join(json.dumps(r) + "\n" for r in grid_records()))
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,family,status,size_class\na,x,SAT,train\nb,x,SAT,above\n"
                        "c,y,SAT,above\nd,y,SAT,above\n")
    md = tmp_path / "R.md"
    md.write_text("intro\n")
    args = [str(results), "--manifest", str(manifest), "--group", "size_class",
            "--markdown", str(md), "--name", "phases-test", "--header", "Command: `x`"]
    assert paired.main(args) == 0
    assert paired.main(args) == 0                   # rewritten in place, not appended
    text = md.read_text()
    assert text.startswith("intro\n") and text.count("<!-- satmip bench phases-test paired: begin -->") == 1
    assert "Command: `x`" in text and "1 instance(s) left out" in text
    assert "| model | 6 | 5 | 5 | 0 | 5.67 | " in text
    assert "| size_class | above | 2 |" in text
    assert "seed 2: solved, PAR-2 (ratio)" in capsys.readouterr().out


def test_unknown_baseline_and_missing_column_are_errors(grid, tmp_path):
    with pytest.raises(ValueError, match="baseline 'nope'"):
        paired.report(grid, "nope")
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,family\na,x\n")
    with pytest.raises(ValueError, match="size_class"):
        paired.read_columns(str(manifest), ["size_class"])


def test_only_some_seeds():
    grid = paired.build_grid(grid_records(), only_seeds=[2])
    assert grid.seeds == [2] and grid.instances == ["a", "b", "c"] and grid.left_out == []
    by = {r.config: r for r in paired.rows(grid, "default")}
    assert by["model"].par == pytest.approx(24.5 / 3) and by["default"].par == pytest.approx(25 / 3)


def test_rows_put_the_baseline_first_then_by_name():
    records = [rec("zeta-s1", "a", "SAT", 1.0), rec("model-s1", "a", "SAT", 1.0),
               rec("default-s1", "a", "SAT", 1.0), rec("jw-s1", "a", "SAT", 1.0)]
    grid = paired.build_grid(records)
    assert [r.config for r in paired.rows(grid, "default")] == ["default", "jw", "model", "zeta"]
    text = paired.report(grid, "default")
    assert text.index("| default | 1/1") < text.index("| jw | 1/1") < text.index("| zeta | 1/1")


def test_a_configuration_under_fewer_seeds_is_set_aside_not_the_instances(capsys, tmp_path):
    """A costly configuration run under seed 1 only (the Python route, an outside solver)
    cannot be paired over the seeds: it is named and set aside, and the others are still
    compared on every instance (it used to leave every instance out and fail)."""
    records = grid_records() + [rec("slow-s1", i, "SAT", 9.0, f) for i, f in (("a", "x"), ("b", "x"), ("c", "y"))]
    grid = paired.build_grid(records)
    assert grid.configs == ["default", "model"] and grid.partial_configs == ["slow"]
    assert grid.instances == ["a", "b", "c"]
    results = tmp_path / "r.jsonl"
    results.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert paired.main([str(results)]) == 0
    out = capsys.readouterr().out
    assert "Not run under every seed, not compared: slow (seeds 1)." in out and "| model | 6 |" in out
