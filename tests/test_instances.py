"""satmip.learn.instances: the four MILP families of Gasse et al. (seeded, written as
MPS), checked at small sizes given as explicit parameters: reproducible bytes, each
family's structure, the optimum against HiGHS, the MPS read back, the command line."""
from __future__ import annotations

import csv
import gzip
import os
import subprocess
import sys

import numpy as np
import pytest

from helpers import assert_feasible

from satmip import Model
from satmip.learn import instances
from satmip.learn.instances import cauctions, facilities, generate, indset, setcover, write_mps
from satmip.learn.instances.cli import main as cli_main

SMALL = {"setcover": {"n_rows": 30, "n_cols": 60, "density": 0.1},
         "cauctions": {"n_items": 15, "n_bids": 40},
         "facilities": {"n_customers": 8, "n_facilities": 6},
         "indset": {"n_nodes": 40}}
# larger, so that every instance has an integrality gap and satmip branches
GAPPED = {"setcover": {"n_rows": 200, "n_cols": 200, "density": 0.05},
          "cauctions": {"n_items": 25, "n_bids": 80},
          "facilities": {"n_customers": 25, "n_facilities": 15},
          "indset": {"n_nodes": 80}}


def small(family: str, seed: int = 0, **extra) -> Model:
    return generate(family, "easy", seed, **{**SMALL[family], **extra})


def csr(model: Model):
    """Rows of A as lists of column indices, and the values by row."""
    indptr, cols, vals = model.data.matrix_csr()
    return [cols[indptr[i]:indptr[i + 1]] for i in range(model.num_rows)], \
           [vals[indptr[i]:indptr[i + 1]] for i in range(model.num_rows)]


# ---- reproducibility ----

@pytest.mark.parametrize("family", list(SMALL))
def test_same_seed_same_bytes_and_another_seed_another_instance(family, tmp_path):
    paths = [tmp_path / f"{k}.mps.gz" for k in range(3)]
    write_mps(small(family, seed=5), paths[0])
    write_mps(small(family, seed=5), paths[1])
    write_mps(small(family, seed=6), paths[2])
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes()[4:8] == bytes(4), "a time in the gzip header: bytes change by the second"
    # the model differs, not only its name
    assert gzip.decompress(paths[0].read_bytes()).replace(b"_5", b"_6") != gzip.decompress(paths[2].read_bytes())


def test_sizes_of_one_seed_are_unrelated_streams():
    """easy and medium of one seed do not share their first draws (costs of the first columns)."""
    easy = generate("setcover", "easy", 0)
    medium = generate("setcover", "medium", 0)
    assert not np.array_equal(easy.data.cost[:50], medium.data.cost[:50])


@pytest.mark.parametrize("family", list(SMALL))
def test_written_file_reads_back_as_the_model(family, tmp_path):
    model = small(family, seed=2)
    path = tmp_path / "m.mps.gz"
    write_mps(model, path)
    back = Model.from_mps(path)
    for key in ("cost", "col_lower", "col_upper", "row_lower", "row_upper", "integer",
                "A_start", "A_index", "A_value"):
        np.testing.assert_array_equal(getattr(back.data, key), getattr(model.data, key), err_msg=key)
    assert back.data.sense == model.data.sense
    assert back.data.row_names == model.data.row_names and back.data.col_names == model.data.col_names


# ---- the sizes of the paper ----

@pytest.mark.parametrize("family, shape", [("setcover", (500, 1000)), ("cauctions", (None, 500)),
                                            ("facilities", (10201, 10100)), ("indset", (None, 500))])
def test_easy_sizes_are_the_papers(family, shape):
    model = generate(family, "easy", 1)
    rows, cols = shape
    assert model.num_cols == cols
    if rows is not None:
        assert model.num_rows == rows
    if family == "setcover":   # density 0.05
        assert model.num_nonzeros == 500 * 1000 * 0.05


def test_unknown_family_size_and_parameter_are_refused():
    with pytest.raises(ValueError, match="unknown family 'knapsack'"):
        generate("knapsack")
    with pytest.raises(ValueError, match="unknown size 'huge'"):
        generate("setcover", "huge")
    with pytest.raises(ValueError, match="setcover has no parameter n_items"):
        generate("setcover", n_items=3)
    with pytest.raises(ValueError, match="fewer than 2 per column"):
        generate("setcover", n_rows=10, n_cols=100, density=0.1)
    with pytest.raises(ValueError, match="affinity"):
        generate("indset", n_nodes=4, affinity=4)


# ---- each family's structure ----

def test_setcover_structure():
    model = small("setcover", seed=3)
    rows, vals = csr(model)
    counts = np.diff(model.data.A_start)
    assert counts.min() >= 2                                   # every column in >= 2 rows
    assert min(len(r) for r in rows) >= 1                      # every row covered
    assert model.num_nonzeros == int(30 * 60 * 0.1)
    assert np.all(model.data.A_value == 1) and np.all(model.data.row_lower == 1)
    assert np.all(np.isinf(model.data.row_upper))
    cost = model.data.cost
    assert cost.min() >= 1 and cost.max() <= 100 and np.all(cost == np.round(cost))
    assert model.data.sense == 1 and model.data.integer.all()
    assert np.all(model.data.col_lower == 0) and np.all(model.data.col_upper == 1)


def test_setcover_at_the_least_density_every_row_is_covered_once():
    """nnz = n_rows = 2 n_cols: each row in exactly one column, each column in two rows."""
    model = generate("setcover", n_rows=50, n_cols=25, density=0.04)
    assert np.array_equal(np.sort(model.data.A_index), np.arange(50))
    assert np.all(np.diff(model.data.A_start) == 2)


def test_setcover_near_full_density_keeps_rows_distinct():
    model = generate("setcover", n_rows=5, n_cols=8, density=0.9)
    for j in range(model.num_cols):
        rows = model.data.A_index[model.data.A_start[j]:model.data.A_start[j + 1]]
        assert len(set(rows.tolist())) == len(rows) >= 2


def test_cauctions_structure():
    model = small("cauctions", seed=4)
    d = model.data
    assert d.sense == -1 and d.integer.all() and np.all(d.cost > 0)
    assert np.all(d.row_upper == 1) and np.all(np.isinf(d.row_lower)) and np.all(d.A_value == 1)
    assert model.num_cols == 40
    rows, _ = csr(model)
    items = [i for i, n in enumerate(d.row_names) if n.startswith("item")]
    dummies = [i for i, n in enumerate(d.row_names) if n.startswith("xor")]
    assert len(items) + len(dummies) == model.num_rows and all(len(r) >= 1 for r in rows)
    # a dummy item ties the bids of one bidder (three or more) so that at most one wins
    assert dummies and all(len(rows[i]) >= 3 for i in dummies)
    bundles = [set(d.A_index[d.A_start[j]:d.A_start[j + 1]].tolist()) & set(items) for j in range(40)]
    assert all(bundles)                                        # every bid holds a real item
    for i in dummies:                                          # one bidder's bids share an item
        first = rows[i][0]
        assert all(bundles[first] & bundles[j] for j in rows[i][1:])


def test_cauctions_bundle_grows_from_its_items_compatibilities():
    """An item compatible with nothing in the bundle is never added (learn2branch's
    code took rows 0 and 1 of the compatibility matrix instead of the bundle's)."""
    rng = np.random.default_rng(0)
    compat = np.ones((4, 4)) - np.eye(4)
    compat[2, 3] = compat[3, 2] = 0.0          # item 3 is compatible with 0 and 1, not with 2
    for _ in range(200):
        bundle = cauctions._Bundle(2, compat)
        bundle.grow(np.ones(4), rng)
        assert 3 not in bundle.items


def test_facilities_structure_and_capacity():
    nc, nf = 8, 6
    model = small("facilities", seed=7)
    d = model.data
    assert model.num_cols == nc * nf + nf and model.num_rows == nc + nf + 1 + nc * nf
    assert np.array_equal(d.integer, np.r_[np.zeros(nc * nf, bool), np.ones(nf, bool)])
    assert np.all(d.col_lower == 0) and np.all(d.col_upper == 1)
    rows, vals = csr(model)
    demand = np.array([vals[nc + 0][list(rows[nc + 0]).index(i * nf)] for i in range(nc)])
    assert demand.min() >= 5 and demand.max() <= 35
    capacity = -np.array([vals[nc + j][-1] for j in range(nf)])
    assert np.array_equal(rows[nc + nf], nc * nf + np.arange(nf))       # total capacity row: the y's
    assert np.array_equal(vals[nc + nf], capacity) and d.row_lower[nc + nf] == demand.sum()
    # all facilities open serve all demand: the model is feasible
    assert capacity.sum() >= demand.sum()
    x = np.r_[np.full(nc * nf, 1.0 / nf), np.ones(nf)]
    assert_feasible(model, x)
    for i in range(nc):                                        # every customer can be served
        assert np.array_equal(rows[i], i * nf + np.arange(nf))


def test_facilities_refuses_too_little_capacity():
    with pytest.raises(ValueError, match="capacities total"):
        generate("facilities", n_customers=3, n_facilities=40, ratio=0.5)


def test_indset_rows_cover_every_edge_and_are_cliques():
    n = 60
    rng = np.random.default_rng(11)
    edges = indset.barabasi_albert(n, 4, rng)
    assert len(edges) == 4 * (n - 4) and len({tuple(e) for e in edges.tolist()}) == len(edges)
    assert np.all(edges[:, 0] < edges[:, 1])
    model = indset.build(np.random.default_rng(11), "t", n_nodes=n, affinity=4)
    adjacent = {tuple(e) for e in edges.tolist()}
    rows, _ = csr(model)
    covered = set()
    for r in rows:
        r = sorted(r.tolist())
        pairs = {(u, v) for k, u in enumerate(r) for v in r[k + 1:]}
        assert pairs <= adjacent, "a row holds two non-adjacent nodes: it cuts off independent sets"
        covered |= pairs
    assert covered == adjacent
    col_count = np.diff(model.data.A_start)
    assert col_count.min() >= 1
    assert model.data.sense == -1 and np.all(model.data.cost == 1)


def test_greedy_cliques_partition_a_small_graph():
    # a triangle 0-1-2 with a pendant 3 on node 2: the triangle is one clique, 3 alone
    edges = np.array([[0, 1], [0, 2], [1, 2], [2, 3]])
    clique_of = indset.greedy_cliques(4, edges)
    assert clique_of[0] == clique_of[1] == clique_of[2] != clique_of[3]


def test_barabasi_albert_prefers_high_degree():
    """Preferential attachment: the first nodes end far above the mean degree."""
    edges = indset.barabasi_albert(2000, 4, np.random.default_rng(0))
    degree = np.bincount(edges.ravel(), minlength=2000)
    assert degree[:10].mean() > 5 * degree.mean()


# ---- the optimum, by satmip and by HiGHS from the written file ----

def highs_optimum(path) -> float:
    highspy = pytest.importorskip("highspy")
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 1e-9)
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value


@pytest.mark.parametrize("family, seed", [(f, s) for f in SMALL for s in (0, 1)])
def test_satmip_and_highs_agree_on_the_optimum(family, seed, tmp_path):
    model = generate(family, "easy", seed, **GAPPED[family])
    path = tmp_path / "m.mps"
    write_mps(model, path)
    result = model.solve(gap=1e-9, time_limit=60)
    assert result.status == "optimal"
    assert_feasible(model, result.x)
    assert result.objective == pytest.approx(highs_optimum(path), rel=1e-7, abs=1e-6)
    assert abs(model.solve_lp().objective - result.objective) > 1e-3, "no integrality gap: a weak check"


# ---- the command line ----

def test_cli_writes_files_and_manifest_and_resumes(tmp_path, capsys):
    out = tmp_path / "sc"
    args = ["indset", "--size", "easy", "--count", "2", "--seed", "3", "--out", str(out), "--no-progress"]
    assert cli_main(args) == 0
    assert "2 indset easy instance(s) written, 0 already there" in capsys.readouterr().out
    names = sorted(os.listdir(out))
    assert names == ["indset_easy_3.mps.gz", "indset_easy_4.mps.gz", "manifest.csv"]
    with open(out / "manifest.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["path"] for r in rows] == names[:2]
    model = Model.from_mps(out / "indset_easy_4.mps.gz")
    assert rows[1] == {"path": "indset_easy_4.mps.gz", "family": "indset", "size": "easy", "seed": "4",
                       "rows": str(model.num_rows), "cols": "500", "nnz": str(model.num_nonzeros)}
    assert (out / "indset_easy_4.mps.gz").read_bytes() == _bytes(generate("indset", "easy", 4), tmp_path)

    # resume: an existing file is kept as it is (here a marked copy of another instance),
    # its manifest row restored from the file when the manifest lost it; the rest is written
    marker = out / "indset_easy_3.mps.gz"
    write_mps(generate("indset", "easy", 3, n_nodes=30), marker)
    (out / "manifest.csv").unlink()
    assert cli_main(args[:4] + ["3", *args[5:]]) == 0
    assert "1 indset easy instance(s) written, 2 already there" in capsys.readouterr().out
    with open(out / "manifest.csv", newline="") as f:
        rows = {r["path"]: r for r in csv.DictReader(f)}
    assert sorted(rows) == ["indset_easy_3.mps.gz", "indset_easy_4.mps.gz", "indset_easy_5.mps.gz"]
    assert rows["indset_easy_3.mps.gz"]["cols"] == "30"
    assert not any(n.endswith(".partial") for n in os.listdir(out))
    # the benchmark harness reads the folder through its manifest
    from satmip.bench.instances import collect
    assert [(i.name, i.family, i.kind) for i in collect([str(out)])] == [
        (f"indset_easy_{s}.mps.gz", "indset", "mip") for s in (3, 4, 5)]


def _bytes(model, tmp_path) -> bytes:
    path = tmp_path / "ref.mps.gz"
    write_mps(model, path)
    return path.read_bytes()


def test_cli_refuses_bad_arguments():
    run = subprocess.run([sys.executable, "-m", "satmip.learn.instances", "knapsack", "--out", "x"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "invalid choice: 'knapsack'" in run.stderr
    with pytest.raises(SystemExit):
        cli_main(["setcover", "--count", "0", "--out", "x"])


def test_every_family_module_has_three_sizes():
    for module in instances.FAMILIES.values():
        assert set(module.SIZES) == set(instances.SIZES)
        assert callable(module.build)
