"""One validation for every entry (lp::check_model and Model.from_arrays): NaN
anywhere, infinite costs or matrix entries, lower bound +inf or upper bound -inf
are a ValueError naming the array and the column or row, never an answer."""
import numpy as np
import pytest

from satmip import Model, _core
from satmip.lp import solve_lp
from satmip.mip import solve_mip

INF = np.inf


def good_arrays():
    return dict(c=[1.0, 2.0], A=[[1.0, 1.0], [0.0, 3.0]], row_lower=[1.0, -INF], row_upper=[4.0, 6.0],
                col_lower=[0.0, 0.0], col_upper=[3.0, INF], integrality=[True, False])


# (array, index, bad value, words the message must have)
BAD_VALUES = [
    ("cost", 1, -INF, "cost of column 1"),
    ("cost", 0, INF, "cost of column 0"),
    ("cost", 1, np.nan, "cost of column 1"),
    ("col_lower", 1, np.nan, "lower bound of column 1"),
    ("col_upper", 0, np.nan, "upper bound of column 0"),
    ("col_lower", 0, INF, "lower bound of column 0"),
    ("col_upper", 1, -INF, "upper bound of column 1"),
    ("row_lower", 1, np.nan, "lower bound of row 1"),
    ("row_upper", 0, np.nan, "upper bound of row 0"),
    ("row_lower", 0, INF, "lower bound of row 0"),
    ("row_upper", 1, -INF, "upper bound of row 1"),
    ("A_value", 2, INF, "row 1"),     # the entry (row 1, column 1)
    ("A_value", 0, np.nan, "row 0"),
]


def bad_dict(key, index, value):
    d = Model.from_arrays(**good_arrays()).data.to_dict()
    d[key] = np.array(d[key], dtype=float)
    d[key][index] = value
    return d


@pytest.mark.parametrize("key,index,value,words", BAD_VALUES)
def test_every_engine_entry_rejects_bad_values(key, index, value, words):
    d = bad_dict(key, index, value)
    entries = {
        "LpSolver": lambda: _core.LpSolver(d),
        "solve_lp": lambda: solve_lp(d),
        "solve_mip": lambda: solve_mip(d),
        "solve_mip without presolve": lambda: solve_mip(d, presolve=False),
        "presolve": lambda: _core.presolve(d),
    }
    for entry, call in entries.items():
        with pytest.raises(ValueError, match=words) as caught:
            call()
        assert "row" in str(caught.value) or "column" in str(caught.value), entry
        assert bad_entry(key, index) in str(caught.value), entry


def bad_entry(array, index):
    """How the message names the bad entry: cost[1], col_lower[0], ..., A[row, column]."""
    if array == "A_value":
        return "A[%d, %d]: " % [(0, 0), (0, 1), (1, 1)][index]
    return f"{array}[{index}]: "


@pytest.mark.parametrize("key,index,value,words", BAD_VALUES)
def test_from_arrays_rejects_bad_values(key, index, value, words):
    arrays = good_arrays()
    name = {"cost": "c", "A_value": "A"}.get(key, key)
    if key == "A_value":
        rows, cols = [(0, 0), (0, 1), (1, 1)][index]
        A = np.array(arrays["A"])
        A[rows, cols] = value
        arrays["A"] = A
    else:
        arrays[name] = np.array(arrays[name], dtype=float)
        arrays[name][index] = value
    with pytest.raises(ValueError, match=words) as caught:
        Model.from_arrays(**arrays)
    message = str(caught.value)
    assert message.startswith("Model.from_arrays: " + bad_entry(name if key != "A_value" else key, index)), message
    assert "('C" in message or "('R" in message, message   # the column's or row's name too


def test_a_model_with_bad_values_cannot_be_solved_either_way():
    """The MpsData of a Model can be changed after from_arrays: the engines check again."""
    model = Model.from_arrays(**good_arrays())
    model.data.cost[0] = -INF
    with pytest.raises(ValueError, match="cost of column 0"):
        model.solve()
    with pytest.raises(ValueError, match="cost of column 0"):
        model.solve_lp()
    model = Model.from_arrays(**good_arrays())
    model.data.col_lower[1] = np.nan
    with pytest.raises(ValueError, match="lower bound of column 1"):
        model.solve()
    with pytest.raises(ValueError, match="lower bound of column 1"):
        model.solve(presolve=False)


def test_lower_above_upper_is_an_answer_not_an_error():
    arrays = good_arrays()
    arrays["col_lower"], arrays["col_upper"] = [2.0, 0.0], [1.0, INF]
    model = Model.from_arrays(**arrays)
    assert model.solve_lp().status == "infeasible"
    assert model.solve().status == "infeasible"


def test_lp_solver_setters_name_the_column_or_row():
    s = _core.LpSolver(Model.from_arrays(**good_arrays()).data.to_dict())
    with pytest.raises(ValueError, match="column 1"):
        s.change_col_bounds(1, np.nan, 1.0)
    with pytest.raises(ValueError, match="column 0"):
        s.change_col_bounds(0, INF, INF)
    with pytest.raises(ValueError, match="row 1"):
        s.change_row_bounds(1, -INF, -INF)
    with pytest.raises(ValueError, match="column 1"):
        s.change_cost(1, -INF)
    with pytest.raises(ValueError, match="column 1"):
        s.change_cost(1, np.nan)
    add = lambda lower, upper, value: s.add_rows(np.asarray([lower]), np.asarray([upper]), np.asarray([0, 2], np.int64),
                                                 np.asarray([0, 1], np.int32), np.asarray(value, float))
    with pytest.raises(ValueError, match="new row 0 in column 1"):
        add(0.0, 1.0, [1.0, np.inf])
    with pytest.raises(ValueError, match="new row 0"):
        add(np.nan, 1.0, [1.0, 1.0])
    with pytest.raises(ValueError, match="new row 0"):
        add(INF, INF, [1.0, 1.0])
    assert s.solve() == "optimal"   # nothing of the rejected calls stayed behind
    assert s.num_rows == 2


@pytest.mark.parametrize("value", [np.nan, INF, -INF])
def test_start_solution_values_must_be_finite(value):
    model = Model.from_arrays(**good_arrays())
    with pytest.raises(ValueError, match="start value of column 1"):
        model.solve(start=[1.0, value])


def test_check_model_binding_passes_good_models_and_names_arrays():
    d = Model.from_arrays(**good_arrays()).data.to_dict()
    assert _core.check_model(d, "mine") is None
    d["row_upper"] = np.array([4.0, -INF])
    with pytest.raises(ValueError, match=r"^mine: rhs\[1\]: the upper bound of row 1 \('R1'\) is -inf$"):
        _core.check_model(d, "mine", {"row_upper": "rhs"})
    with pytest.raises(ValueError, match="no array 'b'"):
        _core.check_model(d, "mine", {"b": "rhs"})
