"""satmip.learn loads its parts on first use: the phase model's path (what
`satmip solve --phase-model` imports at every start) leaves the generators and the
labeller unloaded, and every public name still resolves."""
import subprocess
import sys

import pytest

import satmip.learn


def test_the_phase_model_path_does_not_import_generators_or_labeller():
    code = ("import sys, satmip.learn.predict\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('satmip.learn'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.split()
    assert "satmip.learn.predict" in loaded
    assert not [m for m in loaded if m.startswith(("satmip.learn.families", "satmip.learn.backbone"))], loaded


@pytest.mark.parametrize("name", satmip.learn.__all__)
def test_every_public_name_resolves(name):
    assert getattr(satmip.learn, name) is not None
    assert name in dir(satmip.learn)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_thing"):
        satmip.learn.no_such_thing
