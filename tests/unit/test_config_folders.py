"""The export folder is read from the configuration module (issue 17, point 4): the
environment's when set, else `exports` in the user's data folder; created private."""

from __future__ import annotations

import stat

from cep_tui import config, exports


def test_the_export_folder_comes_from_the_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv(config.EXPORT_DIR_ENV, str(tmp_path / "sorties"))
    assert config.export_folder() == tmp_path / "sorties"
    assert not (tmp_path / "sorties").exists()  # the configuration only names it
    folder = exports.export_dir()
    assert folder == tmp_path / "sorties"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_by_default_in_the_user_s_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(config.EXPORT_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert config.export_folder() == tmp_path / "data" / "cep-tui" / "exports"
