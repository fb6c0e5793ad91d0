"""What the phase model's exported .npz holds (shared by satmip.learn.phase_model,
which writes it with torch, and satmip.learn.phase_infer, which reads it without)."""

# 2: input features per node (satmip.learn.features) projected by in_variable / in_clause.
# 3: the features add failed-literal lookahead (fixed signs, implied counts, clause state).
FORMAT = 3
MODEL_NAME = "satmip-phase-rgin"
NODE_TYPES = ("variable", "clause", "meta")
# Directed relations, in the order of the stacked relation weights w_rel.
RELATIONS = ("var_clause_pos", "var_clause_neg", "clause_var_pos", "clause_var_neg",
             "meta_clause", "clause_meta")
# Input features of the node types that have them (satmip.learn.features).
from .features import CLAUSE_FEATURES, VARIABLE_FEATURES  # noqa: E402

FEATURES = {"variable": VARIABLE_FEATURES, "clause": CLAUSE_FEATURES}
