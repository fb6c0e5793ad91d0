"""`satmip bench` as a newcomer meets it: where results go (in --help), and what a
committed configuration needs from a fresh clone (the shared benchmark folder)."""
from __future__ import annotations

import pytest

from helpers import REPO

from satmip.bench.config import BenchConfig
from satmip.cli import main


def test_help_names_the_default_results_path(capsys):
    with pytest.raises(SystemExit):
        main(["bench", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert BenchConfig.results in help_text
    assert "relative to its TOML file" in help_text


def test_config_without_the_shared_folder_says_what_it_needs(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("SATMIP_SHARED", str(tmp_path / "no-such-folder"))
    assert main(["bench", str(REPO / "bench" / "sat-dev.toml"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "no-such-folder/benchmarks/sat/manifest.csv" in err
    assert "SATMIP_SHARED" in err and "not part of the repository" in err
    assert len(err.strip().splitlines()) == 1, err   # one line says what is missing and what to do


def test_missing_instances_outside_the_shared_folder_get_no_such_hint(tmp_path, capsys):
    config = tmp_path / "mine.toml"
    config.write_text('[benchmark]\ninstances = "missing/manifest.csv"\n\n[[solver]]\nname = "satmip"\n')
    assert main(["bench", str(config), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "manifest.csv" in err and "SATMIP_SHARED" not in err
