"""NeuroBack's graph: the numpy builder (satmip.learn.graph) and to_pyg, which
must give the same graph; satmip.learn must import and work without torch."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import satmip
from satmip.learn import generate
from satmip.learn.graph import META_EDGE, NEGATIVE, POSITIVE, clause_graph, components


def test_small_graph_by_hand():
    # Two components ({x1, x2, x3} with clauses 0, 1; {x4, x5} with 2, 3) and x6 unused.
    g = clause_graph(satmip.dimacs.Cnf(6, satmip.dimacs.flatten([[1, -2], [2, 3], [4, 5], [-4]]), 4))
    assert (g.nvars, g.nclauses, g.nmeta) == (6, 4, 2)
    assert g.edge_var.tolist() == [0, 1, 1, 2, 3, 4, 3]
    assert g.edge_clause.tolist() == [0, 0, 1, 1, 2, 2, 3]
    assert g.edge_sign.tolist() == [1, -1, 1, 1, 1, 1, -1]
    assert g.clause_meta.tolist() == [0, 0, 1, 1]
    assert g.node_type().tolist() == [1] * 6 + [-1] * 4 + [0] * 2
    edge_index, edge_type = g.homogeneous()
    assert edge_index.shape == (2, 2 * (7 + 4))
    pairs = set(zip(edge_index[0].tolist(), edge_index[1].tolist(), edge_type.tolist()))
    assert (0, 6, POSITIVE) in pairs and (6, 0, POSITIVE) in pairs and (1, 6, NEGATIVE) in pairs
    assert (10, 6, META_EDGE) in pairs and (11, 8, META_EDGE) in pairs and (9, 11, META_EDGE) in pairs
    assert clause_graph([[1, 2]], meta=False).nmeta == 0


def test_components_match_scipy_on_random_and_long_chain_graphs():
    csgraph = pytest.importorskip("scipy.sparse.csgraph")
    sp = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(0)
    cases = [(n, rng.integers(0, n, m), rng.integers(0, n, m)) for n, m in ((50, 20), (500, 400), (2000, 2500))]
    order = rng.permutation(3000)  # a path visited in random order: many hooking rounds
    cases.append((3000, order[:-1], order[1:]))
    for n, u, v in cases:
        label = components(n, u, v)
        ncomp, reference = csgraph.connected_components(sp.coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n)),
                                                        directed=False)
        assert len(np.unique(label)) == ncomp
        # The same partition: each of our labels maps to exactly one of scipy's.
        assert len(set(zip(label.tolist(), reference.tolist()))) == ncomp


def test_meta_nodes_follow_components_of_a_generated_formula():
    cnf = generate("flat_colouring", "small", 3)
    g = clause_graph(cnf)
    # Every edge stays inside one component: a clause's variables share its meta node.
    first = np.full(g.nvars, -1)
    first[g.edge_var] = g.clause_meta[g.edge_clause]
    assert (first[g.edge_var] == g.clause_meta[g.edge_clause]).all()
    assert g.nmeta == len(np.unique(g.clause_meta))




def _torch():
    return pytest.importorskip("torch", reason="to_pyg needs torch (pip install 'satmip[learn]')")


@pytest.mark.parametrize("family", ["latin_square", "circuit_preimage"])
def test_to_pyg_is_the_numpy_graph(family):
    torch = _torch()
    pytest.importorskip("torch_geometric", reason="to_pyg needs torch-geometric")
    from satmip.learn import to_pyg
    from satmip.learn.features import clause_features, variable_features
    cnf = generate(family, "tiny", 0)
    g = clause_graph(cnf)
    labels = satmip.learn.extract(cnf)
    data = to_pyg(cnf, backbone=labels.backbone)
    assert data["variable"].num_nodes == g.nvars and data["clause"].num_nodes == g.nclauses
    assert data["meta"].num_nodes == g.nmeta
    assert torch.equal(data["variable"].x, torch.from_numpy(variable_features(g)))
    assert torch.equal(data["clause"].x, torch.from_numpy(clause_features(g)))
    assert torch.equal(data["meta"].x, torch.zeros(g.nmeta, 1))
    fwd = data["variable", "in", "clause"]
    assert np.array_equal(fwd.edge_index.numpy(), np.stack([g.edge_var, g.edge_clause]))
    assert np.array_equal(fwd.edge_attr.view(-1).numpy(), g.edge_sign.astype(np.float32))
    assert np.array_equal(data["clause", "has", "variable"].edge_index.numpy(), np.stack([g.edge_clause, g.edge_var]))
    links = data["meta", "links", "clause"].edge_index.numpy()
    assert np.array_equal(links, np.stack([g.clause_meta, np.arange(g.nclauses)]))
    b = labels.backbone[1:]
    assert data["variable"].y.tolist() == [0 if x > 0 else 1 if x < 0 else 2 for x in b]
    assert data["variable"].mask.tolist() == (b != 0).tolist()
    data.validate()
    with pytest.raises(ValueError, match="backbone has"):
        to_pyg(cnf, backbone=labels.backbone[:-1])


def test_learn_imports_and_works_without_torch():
    code = """
import sys
sys.modules['torch'] = None  # import torch now raises ImportError
sys.modules['torch_geometric'] = None
import satmip.learn as L
from satmip.learn import make_dataset, dataset, graph
cnf = L.generate('planted_ksat', 'tiny', 0)
assert L.extract(cnf).status == 'sat'
assert L.clause_graph(cnf).nclauses == cnf.nclauses
try:
    L.to_pyg(cnf)
except ImportError as err:
    assert "satmip[learn]" in str(err)
else:
    raise AssertionError('to_pyg worked without torch')
print('ok')
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
