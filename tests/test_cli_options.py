"""`satmip solve` options, run in-process (satmip.cli.main): every option applies to the
file's engine or is refused; limits are checked; `satmip options` lists the SAT, LP and MILP
options; errors are one line naming the file; solution files and 'o' lines never say -0.0."""
from __future__ import annotations

import math
import os

import numpy as np
import pytest

import satmip
from helpers import DATA_DIR
from satmip import _core
from satmip.cli import main
from satmip.cli_mps import format_value, write_sol
from satmip.cli_options import lp_options, milp_options, parse_value

DATA = DATA_DIR.parent
P0033 = str(DATA / "mip" / "p0033.mps.gz")
AFIRO = str(DATA / "lp" / "afiro.mps.gz")


@pytest.fixture
def cnf(tmp_path):
    path = tmp_path / "f.cnf"
    path.write_text("p cnf 3 2\n1 2 0\n-1 3 0\n")
    return str(path)


def run(capsys, *args):
    code = main(["solve", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def error_of(capsys, *args):
    code, out, err = run(capsys, *args)
    assert code == 1, (out, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("satmip: error: "), err
    return lines[0][len("satmip: error: "):]


@pytest.fixture
def spy(monkeypatch):
    """The options that reach Model.solve / Model.lp_solver."""
    seen = {}
    real_solve, real_lp = satmip.Model.solve, satmip.Model.lp_solver

    def solve(self, **options):
        seen["milp"] = options
        return real_solve(self, **options)

    def lp_solver(self, **options):
        seen["lp"] = options
        return real_lp(self, **options)

    monkeypatch.setattr(satmip.Model, "solve", solve)
    monkeypatch.setattr(satmip.Model, "lp_solver", lp_solver)
    return seen


def engine_part(options: dict) -> dict:
    """The options less the LP log's hook (LpLog.options()), which is always there."""
    assert callable(options["on_progress"]) and options["progress_interval"] == 1.0
    return {k: v for k, v in options.items() if k not in ("on_progress", "progress_interval")}


# ---- -O and the flags reach the engine of the file's kind ----

def test_milp_options_reach_model_solve(capsys, spy):
    code, out, _ = run(capsys, P0033, "-O", "branching=strong", "-O", "node_selection=best_estimate",
                       "-O", "heuristics=off", "-O", "cut_rounds=3", "-O", "plunge_gap_fraction=0.5",
                       "-O", "threads=1", "--seed", "7", "--gap", "0")
    assert code == 0 and "s OPTIMAL" in out.splitlines()
    options = spy["milp"]
    assert (options["branching"], options["node_selection"], options["heuristics"], options["cut_rounds"],
            options["plunge_gap_fraction"], options["threads"], options["seed"], options["gap"]) == \
        ("strong", "best_estimate", False, 3, 0.5, 1, 7, 0.0)


def test_lp_options_reach_the_lp_solver(capsys, spy):
    code, out, _ = run(capsys, AFIRO, "-O", "scale=0", "-O", "dual_feasibility_tolerance=1e-8", "--seed", "3")
    assert code == 0 and "s OPTIMAL" in out.splitlines()
    assert engine_part(spy["lp"]) == {"scale": False, "dual_feasibility_tolerance": 1e-8, "seed": 3}


def test_relaxation_takes_lp_options(capsys, spy):
    code, out, _ = run(capsys, P0033, "--relaxation", "-O", "perturb=false")
    assert code == 0 and engine_part(spy["lp"]) == {"perturb": False} and "milp" not in spy


@pytest.mark.parametrize("args, words", [
    (["{mps}", "--conflict-limit", "5"], "--conflict-limit applies to CNF files only"),
    (["{mps}", "--config", "sat"], "--config applies to CNF files only"),
    (["{mps}", "--lenient"], "--lenient applies to CNF files only"),
    (["{mps}", "--stats"], "--stats applies to CNF files only"),
    (["{mps}", "--no-model"], "--no-model applies to CNF files only"),
    (["{mps}", "-O", "stable=1"], "-O stable: a SAT option, not one of the MILP options"),
    (["{mps}", "-O", "nonsense=1"], "-O nonsense: unknown option"),
    (["{mps}", "-O", "scale=0"], "-O scale: an LP option, not one of the MILP options"),
    (["{mps}", "-O", "branching=bogus"], "expected one of pseudocost, most_fractional, reliability, strong"),
    (["{mps}", "-O", "heuristics=maybe"], "-O heuristics=maybe: expected a switch"),
    (["{mps}", "-O", "cut_rounds=2.5"], "-O cut_rounds=2.5: expected an integer"),
    (["{mps}", "-O", "gap=nan"], "-O gap=nan: expected a value in"),
    (["{mps}", "-O", "threads=4"], "-O threads=4: expected a value in [1, 1]"),
    (["{mps}", "--iteration-limit", "9"], "--iteration-limit applies to LPs and --relaxation only"),
    (["{lp}", "-O", "branching=strong"], "-O branching: a MILP option, not one of the LP options"),
    (["{lp}", "--node-limit", "3"], "--node-limit applies to the branch and bound of a MILP only"),
    (["{mps}", "--relaxation", "--no-cuts"], "--no-cuts applies to the branch and bound of a MILP only"),
    (["{cnf}", "-O", "branching=strong"], "-O branching: a MILP option, not one of the SAT options"),
    (["{cnf}", "-O", "stable=9"], "-O stable=9: expected a value in [0, 2]"),
    (["{cnf}", "--gap", "0.1"], "--gap applies to MPS files only"),
    # a limit of 0 is given too (0 == False once hid it)
    (["{cnf}", "--gap", "0"], "--gap applies to MPS files only"),
    (["{cnf}", "--node-limit", "0"], "--node-limit applies to MPS files only"),
    (["{mps}", "--conflict-limit", "0"], "--conflict-limit applies to CNF files only"),
])
def test_option_of_another_kind_is_refused(capsys, cnf, args, words):
    files = {"{mps}": P0033, "{lp}": AFIRO, "{cnf}": cnf}
    message = error_of(capsys, *[files.get(a, a) for a in args])
    assert message.startswith(files[args[0]] + ": "), message
    assert words in message


@pytest.mark.parametrize("args, words", [
    (["--time-limit", "nan"], "--time-limit must be a number of seconds >= 0"),
    (["--time-limit", "-1"], "--time-limit must be a number of seconds >= 0"),
    (["--conflict-limit", "-5"], "--conflict-limit must be >= 0"),
    (["--node-limit", "-1"], "--node-limit must be >= 0"),
    (["--iteration-limit", "-1"], "--iteration-limit must be >= 0"),
    (["--gap", "-1"], "--gap must be a number >= 0"),
    (["--gap", "nan"], "--gap must be a number >= 0"),
])
def test_invalid_limits_are_refused(capsys, args, words):
    assert words in error_of(capsys, P0033, *args)


def test_infinite_time_limit_means_none(capsys, cnf):
    assert run(capsys, cnf, "--time-limit", "inf")[0] == 10


@pytest.mark.parametrize("call", [
    lambda m: m.solve(time_limit=math.nan), lambda m: m.solve(time_limit=-1), lambda m: m.solve(node_limit=-1),
    lambda m: m.solve_lp(time_limit=math.nan), lambda m: m.solve_lp(iteration_limit=-1),
])
def test_python_api_refuses_invalid_limits(call):
    with pytest.raises(ValueError, match="must be >= 0"):
        call(satmip.Model.from_mps(P0033))


def test_sat_api_refuses_a_nan_time_limit():
    s = satmip.Solver()
    s.add_clause([1])
    with pytest.raises(ValueError, match="time_limit"):
        s.solve_limited(time_limit=math.nan)


# ---- satmip options ----

def test_options_lists_sat_lp_and_milp(capsys):
    assert main(["options"]) == 0
    out = capsys.readouterr().out
    headers = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
    assert headers == ["SAT", "SAT", "LP", "MILP"]
    listed = {line.split()[0]: line.split()[1:3] for line in out.splitlines() if line.startswith("  ")}
    assert listed["branching"][1] == "pseudocost|most_fractional|reliability|strong|gnn"
    assert listed["scale"] == ["1", "0/1"] and listed["gap"][0] == "0.0001"
    assert any(line.split()[:2] == ["stable", "1"] and "[0, 2]" in line for line in out.splitlines())


def test_every_engine_option_is_on_the_command_line():
    # The engines' option tables (defaults included) and the CLI's agree name for name.
    assert {o.name for o, _ in milp_options()} == set(_core.mip_option_defaults())
    assert {o.name for o, _ in lp_options()} == set(_core.lp_option_defaults())
    for option, default in milp_options() + lp_options():
        assert parse_value(option, str(int(default) if option.kind is bool else default), "x") == default


def test_help_names_the_options_command(capsys):
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    out = capsys.readouterr().out
    assert "--list-options" not in out and "satmip options" in out


# ---- errors: one line, naming the file ----

def test_missing_side_files_are_one_line_errors(capsys, tmp_path, cnf):
    missing = str(tmp_path / "none.txt")
    assert error_of(capsys, cnf, "--phases", missing) == f"{missing}: No such file or directory"
    assert error_of(capsys, P0033, "--start", missing) == f"{missing}: No such file or directory"
    assert error_of(capsys, missing) == f"{missing}: No such file or directory"


def test_binary_side_files_name_file_and_line(capsys, tmp_path, cnf):
    # Not "'utf-8' codec can't decode byte 0xff in position 0" without the file.
    binary = tmp_path / "side.bin"
    binary.write_bytes(b"1 -2\n\xff\xfe 3\n")
    assert error_of(capsys, cnf, "--phases", binary).startswith(f"{binary}:2: not a text file of literals")
    binary.write_bytes(b"C157 1\nC158 \xff\n")
    assert error_of(capsys, P0033, "--start", binary).startswith(f"{binary}:2: not a text .sol file")


@pytest.mark.parametrize("where", ["missing_dir", "directory"])
def test_unwritable_solution_is_refused_before_solving(capsys, tmp_path, where):
    target = tmp_path / "no" / "x.sol" if where == "missing_dir" else tmp_path
    code, out, err = run(capsys, P0033, "--solution", target)
    assert code == 1 and out == "", out          # nothing solved, no 's' line
    assert err.startswith(f"satmip: error: {target}: cannot write the solution")
    assert not (tmp_path / "no").exists()


def test_solution_file_is_written_only_with_a_solution(capsys, tmp_path):
    path = tmp_path / "inf.mps"
    path.write_text("NAME inf\nROWS\n N obj\n G r\nCOLUMNS\n    x obj 1 r 1\nRHS\n    rhs r 5\n"
                    "BOUNDS\n UP b x 1\nENDATA\n")
    sol = tmp_path / "inf.sol"
    code, out, _ = run(capsys, path, "--solution", sol)
    assert code == 0 and "s INFEASIBLE" in out.splitlines() and not sol.exists()


def test_variable_beyond_the_solver_limit_names_file_and_line(capsys, tmp_path):
    path = tmp_path / "big.cnf"
    path.write_text("p cnf 2000000000 2\n1 0\n-1 1073741824 0\n")
    message = error_of(capsys, path)
    assert message.startswith(f"{path}:3: variable 1073741824 exceeds the limit maxvar=50000000"), message
    path.write_text("p cnf 200 2\n1 0\n-1 150 0\n")
    assert error_of(capsys, path, "-O", "maxvar=100").startswith(f"{path}:3: variable 150 exceeds")


@pytest.mark.parametrize("bound, words", [
    (" UP b x -1e30", "the upper bound of column 0 ('x') is -inf"),
    (" LO b x 1e30", "the lower bound of column 0 ('x') is +inf"),
])
@pytest.mark.parametrize("integer", [False, True])
def test_model_rejections_name_the_file(capsys, tmp_path, bound, words, integer):
    marker = ("    M1 'MARKER' 'INTORG'\n", "    M2 'MARKER' 'INTEND'\n") if integer else ("", "")
    path = tmp_path / "b.mps"
    path.write_text(f"NAME b\nROWS\n N obj\n G r\nCOLUMNS\n{marker[0]}    x obj 1 r 1\n{marker[1]}RHS\n"
                    f"    rhs r 1\nBOUNDS\n{bound}\nENDATA\n")
    message = error_of(capsys, path)
    assert message.startswith(f"{path}: ") and words in message


def test_garbage_section_name_is_quoted_short(capsys, tmp_path):
    path = tmp_path / "g.mps"
    path.write_bytes(b"NAME g\nROWS\n N obj\nCOLU\x1b[31mMNS\xff" + b"A" * 5000 + b"\n")
    message = error_of(capsys, path)
    # the first 40 characters (Latin-1, as the file is not UTF-8), escaped as repr() would
    assert message == f"{path}:4: unknown section 'COLU\\x1b[31mMNS\xff{'A' * 27}'..."


# ---- no -0.0 ----

def test_no_negative_zero_in_solution_file_or_o_line(capsys, tmp_path):
    sol = tmp_path / "p.sol"
    code, out, _ = run(capsys, P0033, "--solution", sol)
    assert code == 0 and "-0.0" not in out
    text = sol.read_text()
    assert "-0.0" not in text and " 0.0\n" in text
    assert format_value(-0.0) == "0.0" and format_value(-1.5) == "-1.5"
    write_sol(tmp_path / "z.sol", ["a", "b"], np.array([-0.0, 2.0]), -0.0)
    assert (tmp_path / "z.sol").read_text() == "=obj= 0.0\na 0.0\nb 2.0\n"


def test_conflict_limit_zero_stops_at_once(capsys):
    # As --node-limit 0 and --iteration-limit 0 do; PySAT's conf_budget(0) means "no budget",
    # which made --conflict-limit 0 solve the whole formula.
    hole8 = str(DATA / "sat" / "hole8.cnf.xz")
    code, out, _ = run(capsys, hole8, "--conflict-limit", "0", "--stats")
    lines = out.splitlines()
    assert code == 0 and "s UNKNOWN" in lines
    assert "c conflicts              0" in lines


@pytest.mark.parametrize("args, words", [
    (["{cnf}", "--seed", "3", "-O", "seed=4"], "--seed and -O seed=4 disagree"),
    (["{mps}", "--seed", "3", "-O", "seed=4"], "--seed and -O seed=4 disagree"),
    (["{lp}", "--seed", "3", "-O", "seed=4"], "--seed and -O seed=4 disagree"),
    (["{mps}", "--gap", "0.1", "-O", "gap=0.2"], "--gap and -O gap=0.2 disagree"),
    (["{mps}", "--no-presolve", "-O", "presolve=1"], "--no-presolve and -O presolve=1 disagree"),
    (["{mps}", "--no-cuts", "-O", "cuts=on"], "--no-cuts and -O cuts=1 disagree"),
])
def test_flag_and_its_option_twin_must_agree(capsys, cnf, args, words):
    # Otherwise one of them silently does not apply (--gap overrode -O gap, -O seed overrode --seed).
    files = {"{mps}": P0033, "{lp}": AFIRO, "{cnf}": cnf}
    message = error_of(capsys, *[files.get(a, a) for a in args])
    assert message.startswith(files[args[0]] + ": ") and words in message, message


def test_flag_and_its_option_twin_that_agree_apply(capsys, spy):
    code, out, _ = run(capsys, P0033, "--gap", "0.5", "-O", "gap=0.5", "--no-cuts", "-O", "cuts=0", "--seed", "2",
                       "-O", "seed=2")
    assert code == 0 and "s OPTIMAL" in out.splitlines()
    assert (spy["milp"]["gap"], spy["milp"]["cuts"], spy["milp"]["seed"]) == (0.5, False, 2)


def test_a_command_line_that_does_not_parse_exits_2_as_help_says(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["solve", "--seed", "abc", "f.cnf"])
    assert stop.value.code == 2 and "usage: satmip solve" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    assert "a command line that does not parse: the usage and exit code 2" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("kind", ["cnf", "lp", "milp"])
def test_time_limit_includes_reading_the_file(capsys, monkeypatch, cnf, kind):
    # --time-limit bounds the whole run, as a harness's clock does: the engine gets what
    # reading left (reading is made to take 0.3 s here).
    import time as time_module
    import satmip.dimacs
    seen = {}
    real_read_dimacs, real_from_mps = satmip.dimacs.read_dimacs, satmip.Model.from_mps.__func__

    def slow(read):
        def reader(*args, **kwargs):
            time_module.sleep(0.3)
            return read(*args, **kwargs)
        return reader
    monkeypatch.setattr(satmip.dimacs, "read_dimacs", slow(real_read_dimacs))
    monkeypatch.setattr(satmip.Model, "from_mps", classmethod(slow(real_from_mps)))
    real_sat, real_mip, real_lp = satmip.Solver._solve, satmip.Model.solve, satmip.Model.lp_solver

    def sat(self, assumptions, limit, *budgets):
        seen["limit"] = limit
        return real_sat(self, assumptions, limit, *budgets)

    def engine(real):
        def call(self, **options):
            seen["limit"] = options["time_limit"]
            return real(self, **options)
        return call
    monkeypatch.setattr(satmip.Solver, "_solve", sat)
    monkeypatch.setattr(satmip.Model, "solve", engine(real_mip))
    monkeypatch.setattr(satmip.Model, "lp_solver", engine(real_lp))
    path = {"cnf": cnf, "lp": AFIRO, "milp": P0033}[kind]
    code, out, err = run(capsys, path, "--time-limit", "100")
    assert code in (0, 10) and not err
    assert 0 < seen["limit"] <= 99.7


def test_output_file_that_is_the_input_is_refused(capsys, tmp_path, cnf):
    # --proof was opened (truncated) before the read: the input was gone and the error was
    # "missing 'p cnf' header"; --solution overwrote the model with its solution.
    before = open(cnf).read()
    assert error_of(capsys, cnf, "--proof", cnf) == f"{cnf}: --proof names the input file, which it would overwrite"
    assert open(cnf).read() == before
    mps = tmp_path / "m.mps"
    satmip.write_mps(satmip.read_mps(AFIRO), mps)
    before = mps.read_bytes()
    assert "--solution names the input file" in error_of(capsys, mps, "--solution", mps)
    assert mps.read_bytes() == before
