"""bench/callback_cost.py: callbacks that return None leave the tree unchanged, and
the script measures them (its main returns 0 and writes its Markdown section); its
"same tree" check compares trees that finish, and fails on a different or cut-off one."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
P0033 = str(ROOT / "tests" / "data" / "mip" / "p0033.mps.gz")


def load():
    spec = importlib.util.spec_from_file_location("callback_cost", ROOT / "bench" / "callback_cost.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_callback_cost_measures_same_finished_tree(tmp_path):
    bench = load()
    row = bench.measure(P0033, repeats=1)
    assert row["finished"] and row["same_tree"] and row["nodes"] > 1 and row["lp_iterations"] > 0
    assert row["node_calls"] > 0 and row["branch_calls"] > 0
    md = tmp_path / "r.md"
    assert bench.main(["--instances", P0033, "--markdown", str(md)]) == 0
    text = md.read_text()
    assert text.count("<!-- callback_cost: begin -->") == 1 and "| yes |" in text


def test_callback_cost_detects_another_tree_and_an_unfinished_one():
    bench = load()
    # branching on the last candidate instead of the most fractional: another tree
    last = bench.measure(P0033, repeats=1, on_branch=lambda state: int(state["candidates"][-1]))
    assert last["finished"] and not last["same_tree"]
    # the same tree cut off by a node limit is no evidence: it fails
    cut = bench.measure(P0033, node_limit=50, repeats=1)
    assert not cut["finished"] and not cut["same_tree"]
    assert bench.main(["--instances", P0033, "--node-limit", "50"]) == 1
