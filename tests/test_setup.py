"""Setting up on a fresh machine (issue 7: "A fresh machine", and defect 12b).

A fresh Debian 12 has Python 3.11, make and Node 20 but no python3-venv and no Pango: `make run`
must say exactly what to install, a failed .venv must not be left behind, and links in emails
must follow `make run PORT=…`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from config import load_config

ROOT = Path(__file__).resolve().parent.parent


def _load_check_prereqs():
    spec = importlib.util.spec_from_file_location("check_prereqs", ROOT / "scripts" / "check_prereqs.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def prereqs(monkeypatch):
    """check_prereqs with everything present; each test takes away what it needs to."""
    module = _load_check_prereqs()
    monkeypatch.setattr(module, "python_version", lambda: (3, 11))
    monkeypatch.setattr(module, "has_venv", lambda: True)
    monkeypatch.setattr(module, "has_command", lambda name: True)
    monkeypatch.setattr(module, "library_loads", lambda soname, short: True)
    monkeypatch.setattr(module, "has_chromium", lambda: True)
    monkeypatch.delenv("COLLAB_REQUIRE_BROWSER", raising=False)
    return module


def _apt_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "apt-get install" in line]


def test_nothing_missing_says_nothing(prereqs, capsys) -> None:
    for goal in ("run", "test", "bench"):
        assert prereqs.main([goal]) == 0
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_a_missing_weasyprint_library_is_named_with_the_apt_line(prereqs, monkeypatch, capsys) -> None:
    monkeypatch.setattr(prereqs, "library_loads", lambda soname, short: short != "harfbuzz-subset")
    assert prereqs.main(["run"]) == 1
    err = capsys.readouterr().err
    assert "libharfbuzz-subset.so.0, which WeasyPrint needs" in err
    assert _apt_lines(err) == ["sudo apt-get install -y libharfbuzz-subset0"]


def test_a_fresh_debian_gets_one_line_with_everything(prereqs, monkeypatch, capsys) -> None:
    """No python3-venv and no Pango, as on a fresh Debian 12: one line installs both."""
    monkeypatch.setattr(prereqs, "has_venv", lambda: False)
    monkeypatch.setattr(prereqs, "library_loads", lambda soname, short: False)
    monkeypatch.setattr(prereqs, "has_chromium", lambda: False)
    assert prereqs.main(["test"]) == 1
    err = capsys.readouterr().err
    assert "`make test` cannot start yet" in err and "venv and ensurepip" in err
    assert _apt_lines(err) == [
        "sudo apt-get install -y python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium"
    ]


def test_node_and_an_old_python_are_reported(prereqs, monkeypatch, capsys) -> None:
    monkeypatch.setattr(prereqs, "python_version", lambda: (3, 9))
    monkeypatch.setattr(prereqs, "has_command", lambda name: name not in ("node", "npm"))
    assert prereqs.main(["run"]) == 1
    err = capsys.readouterr().err
    assert "Python 3.11 or newer (this is Python 3.9)" in err and "Node.js 20" in err
    assert _apt_lines(err) == ["sudo apt-get install -y python3 nodejs npm"]


def test_chromium_is_a_warning_for_tests_unless_required(prereqs, monkeypatch, capsys) -> None:
    monkeypatch.setattr(prereqs, "has_chromium", lambda: False)
    assert prereqs.main(["run"]) == 0  # `make run` does not need a browser
    assert capsys.readouterr().out == ""
    assert prereqs.main(["test"]) == 0
    out = capsys.readouterr().out
    assert "browser tests will be skipped" in out and _apt_lines(out) == ["sudo apt-get install -y chromium"]
    monkeypatch.setenv("COLLAB_REQUIRE_BROWSER", "1")
    assert prereqs.main(["test"]) == 1
    assert _apt_lines(capsys.readouterr().err) == ["sudo apt-get install -y chromium"]


def test_missing_lists_packages_for_ci(prereqs, monkeypatch, capsys) -> None:
    monkeypatch.setattr(prereqs, "library_loads", lambda soname, short: short == "pango-1.0")
    assert prereqs.main(["--missing", "test"]) == 0
    assert capsys.readouterr().out == "libpangoft2-1.0-0 libharfbuzz-subset0\n"


def test_the_real_check_passes_on_this_machine() -> None:
    """The machines that run the tests have everything `make run` needs (CI installs it first)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_prereqs.py"), "run"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_readme_apt_line_matches_check_prereqs() -> None:
    module = _load_check_prereqs()
    readme = (ROOT / "README.md").read_text()
    lines = [line.strip() for line in readme.splitlines() if line.strip().startswith("sudo apt-get install -y")]
    assert lines == ["sudo apt-get install -y " + " ".join(module.APT_PACKAGES)]
    every_package = set(module.APT_PACKAGES)
    assert {pkg for _so, _short, pkg in module.LIBRARIES} <= every_package
    assert {"python3-venv", "make", "chromium"} <= every_package
    assert "Node.js 20" in readme


# The Makefile ---------------------------------------------------------------------------

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make_n(*args: str) -> list[str]:
    result = subprocess.run(["make", "-n", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "MAKEFLAGS": ""})
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@needs_make
@pytest.mark.parametrize("goal", ["run", "test", "bench"])
def test_make_checks_prerequisites_first(goal) -> None:
    commands = _make_n(goal)
    assert commands[0] == f"python3 scripts/check_prereqs.py {goal}"


@needs_make
def test_make_run_passes_host_and_port_to_the_app() -> None:
    commands = _make_n("run", "PORT=5050", "HOST=0.0.0.0")
    assert commands[-1] == "HOST=0.0.0.0 PORT=5050 .venv/bin/flask --app wsgi run --host 0.0.0.0 --port 5050"


@needs_make
def test_the_venv_is_made_by_the_script_that_cleans_up_and_can_be_moved(tmp_path) -> None:
    venv = tmp_path / "elsewhere"
    commands = _make_n("install", f"VENV={venv}")
    assert f'sh scripts/make_venv.sh "python3" "{venv}"' in commands
    assert f"{venv}/bin/python -m pip install --quiet -r requirements.txt" in commands


# scripts/make_venv.sh -------------------------------------------------------------------


def _fake_python(tmp_path: Path, *, works: bool) -> Path:
    """Stands in for python3: `-m venv DIR` makes DIR/bin/python, one that works or one without pip."""
    inner = "exit 0" if works else "exit 1"
    script = tmp_path / "fake-python3"
    script.write_text(
        "#!/bin/sh\n"
        'mkdir -p "$3/bin"\n'
        f"printf '#!/bin/sh\\n{inner}\\n' > \"$3/bin/python\"\n"
        'chmod +x "$3/bin/python"\n'
        + ("exit 0\n" if works else 'echo "ensurepip is not available" >&2\nexit 1\n')
    )
    script.chmod(0o755)
    return script


def _make_venv(python: Path, venv: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", str(ROOT / "scripts" / "make_venv.sh"), str(python), str(venv)],
                          capture_output=True, text=True, timeout=60)


def test_a_failed_venv_is_removed(tmp_path) -> None:
    venv = tmp_path / "venv"
    result = _make_venv(_fake_python(tmp_path, works=False), venv)
    assert result.returncode != 0
    assert not venv.exists()
    assert "has been removed" in result.stderr and "check_prereqs.py" in result.stderr


def test_a_half_made_venv_is_not_taken_for_a_good_one(tmp_path) -> None:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("#!/bin/sh\nexit 1\n")  # python there, pip not
    (venv / "bin" / "python").chmod(0o755)
    result = _make_venv(_fake_python(tmp_path, works=True), venv)
    assert result.returncode == 0, result.stderr
    assert "half-made" in result.stdout
    assert (venv / ".created").exists()


def test_a_good_venv_is_marked_and_kept(tmp_path) -> None:
    venv = tmp_path / "venv"
    result = _make_venv(_fake_python(tmp_path, works=True), venv)
    assert result.returncode == 0 and (venv / ".created").exists()
    (venv / "keep-me").write_text("")
    (venv / ".created").unlink()  # made before the marker existed: it works, so it stays
    assert _make_venv(_fake_python(tmp_path, works=False), venv).returncode == 0
    assert (venv / "keep-me").exists() and (venv / ".created").exists()


# BASE_URL follows HOST and PORT in development (defect 12b) ----------------------------


def _config(tmp_path: Path, **env: str) -> dict:
    return load_config({"COLLAB_INSTANCE_DIR": str(tmp_path), **env})


def test_base_url_follows_port_and_host_in_development(tmp_path) -> None:
    assert _config(tmp_path)["BASE_URL"] == "http://127.0.0.1:5000"
    assert _config(tmp_path, PORT="5050")["BASE_URL"] == "http://127.0.0.1:5050"
    assert _config(tmp_path, PORT="5050", HOST="collab.local")["BASE_URL"] == "http://collab.local:5050"
    assert _config(tmp_path, PORT="5050", HOST="0.0.0.0")["BASE_URL"] == "http://127.0.0.1:5050"
    assert _config(tmp_path, PORT="5050", HOST="::1")["BASE_URL"] == "http://[::1]:5050"
    assert _config(tmp_path, FLASK_RUN_PORT="5077")["BASE_URL"] == "http://127.0.0.1:5077"
    assert _config(tmp_path, PORT="not-a-port")["BASE_URL"] == "http://127.0.0.1:5000"


def test_a_set_base_url_wins_and_production_ignores_port(tmp_path) -> None:
    assert _config(tmp_path, PORT="5050", BASE_URL="https://collab.example/")["BASE_URL"] == "https://collab.example"
    production = _config(tmp_path, COLLAB_ENV="production", SECRET_KEY="q7Vr2LmX9pZk4TfW8sYh3NcJ6bGd1uEa5oRiKtPv0wQy", PORT="5050",
                         BASE_URL="https://collab.example", SIGNING_KEY="pW4-kR7nQ2xLm9TzVb3YcH6eJs1Ud8Fa0G",
                         AUDIT_KEY="Hq2-vN8mX5kPz3RtWb7YcL1eGs4Jd9Ua6F")
    assert production["BASE_URL"] == "https://collab.example"


def test_invitation_links_use_the_port_make_run_serves_on(tmp_path) -> None:
    """The link an invitation email carries (collab.mail builds every email link from BASE_URL)."""
    from flask import Flask

    from collab.mail import external_url

    app = Flask(__name__)
    app.config.update(_config(tmp_path, PORT="5050"))
    with app.app_context():
        assert re.match(r"^http://127\.0\.0\.1:5050/invitations/", external_url("/invitations/abc"))
