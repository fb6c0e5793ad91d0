"""bench/callback_cost.py: callbacks that return None leave the tree unchanged, and
the script measures them (its main returns 0 and writes its Markdown section)."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load():
    spec = importlib.util.spec_from_file_location("callback_cost", ROOT / "bench" / "callback_cost.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_callback_cost_measures_same_tree(tmp_path):
    bench = load()
    row = bench.measure(str(ROOT / "tests" / "data" / "mip" / "p0033.mps.gz"), node_limit=500, repeats=1)
    assert row["same_tree"] and row["nodes"] > 1
    assert row["node_calls"] > 0 and row["branch_calls"] > 0
    md = tmp_path / "r.md"
    assert bench.main(["--instances", str(ROOT / "tests" / "data" / "mip" / "p0033.mps.gz"),
                       "--node-limit", "300", "--markdown", str(md)]) == 0
    assert md.read_text().count("<!-- callback_cost: begin -->") == 1
