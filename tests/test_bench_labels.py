"""`satmip bench --labels GLOB`: run only the configured solvers whose name matches, so a
long comparison of configurations x seeds can run seed by seed into one results file."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from satmip.cli import main as satmip_main

FAKE = Path(__file__).parent / "data" / "bench" / "fake_solver.py"


def config(tmp_path) -> Path:
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "a.cnf").write_text("p cnf 3 3\n1 2 0\n-1 3 0\n-2 -3 0\n")
    lines = ["[benchmark]", f"instances = {json.dumps(str(tmp_path / 'set'))}", "time_limit = 10",
             f"results = {json.dumps(str(tmp_path / 'r.jsonl'))}", "[report]", 'baseline = "x-s1"']
    for label in ("x-s1", "y-s1", "x-s2", "y-s2"):
        lines += ["[[solver]]", f'name = "{label}"', 'kind = "command"',
                  f'command = [{json.dumps(sys.executable)}, {json.dumps(str(FAKE))}, "honest", "{{instance}}"]']
    path = tmp_path / "b.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def solvers_run(tmp_path) -> list:
    return sorted(json.loads(line)["solver"] for line in (tmp_path / "r.jsonl").read_text().splitlines())


def test_labels_run_only_the_matching_solvers(tmp_path, capsys):
    cfg = config(tmp_path)
    # the configured baseline x-s1 is left out: the first kept solver takes its place
    assert satmip_main(["bench", "--no-progress", str(cfg), "--labels", "*-s2"]) == 0
    assert solvers_run(tmp_path) == ["x-s2", "y-s2"]
    assert "Ratios vs x-s2" in capsys.readouterr().out
    assert satmip_main(["bench", "--no-progress", str(cfg), "--labels", "x-*", "--labels", "y-s1"]) == 0
    assert solvers_run(tmp_path) == ["x-s1", "x-s2", "y-s1", "y-s2"]   # x-s2 resumed, not rerun
    assert satmip_main(["bench", "--no-progress", str(cfg), "--report-only"]) == 0
    assert "Ratios vs x-s1" in capsys.readouterr().out


def test_labels_matching_nothing_is_a_configuration_error(tmp_path, capsys):
    assert satmip_main(["bench", "--no-progress", str(config(tmp_path)), "--labels", "z-*"]) == 2
    assert "--labels z-* matches no solver; the solvers are x-s1, y-s1, x-s2, y-s2" in capsys.readouterr().err
