#!/usr/bin/env python3
"""Check this computer has what Collab needs, before `make` builds anything.

    python3 scripts/check_prereqs.py run      # `make run` (and `make install`, `make migrate`...)
    python3 scripts/check_prereqs.py test     # `make test`: Chromium too, for the browser tests
    python3 scripts/check_prereqs.py bench    # `make bench`
    python3 scripts/check_prereqs.py --missing test   # just the Debian packages missing, for .ci/run

It checks Python 3.11 or newer with the venv and ensurepip modules (Debian's python3-venv),
make, Node.js and npm, and the native libraries WeasyPrint loads to make PDF certificates
(Pango, and HarfBuzz's subsetter: without it WeasyPrint warns on every PDF, and the tests
treat warnings as errors). Chromium is checked for `test` only, and is a warning unless
COLLAB_REQUIRE_BROWSER=1.

When something is missing it says what, prints ONE `sudo apt-get install -y ...` line with
every Debian package to install, and exits 1. It needs nothing but Python's standard library,
and runs on older Pythons too, so that it can say that Python is too old.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys

MIN_PYTHON = (3, 11)

#: The prerequisites line in README.md, in this order. Node.js is not in it: Node 20 often comes
#: from NodeSource, whose nodejs package conflicts with Debian's npm, so the README notes it apart
#: and this script asks for Debian's `nodejs npm` only when node or npm is missing.
APT_PACKAGES = (
    "python3-venv",
    "make",
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "chromium",
)

#: Native libraries WeasyPrint needs: (shared object to load, name for find_library, Debian package).
LIBRARIES = (
    ("libpango-1.0.so.0", "pango-1.0", "libpango-1.0-0"),
    ("libpangoft2-1.0.so.0", "pangoft2-1.0", "libpangoft2-1.0-0"),
    ("libharfbuzz-subset.so.0", "harfbuzz-subset", "libharfbuzz-subset0"),
)

CHROMIUM = "/usr/bin/chromium"
GOALS = ("run", "test", "bench")


class Missing:
    """One thing that is missing: what, why it matters, and the Debian packages that provide it."""

    def __init__(self, what: str, packages: tuple[str, ...], *, required: bool = True) -> None:
        self.what = what
        self.packages = packages
        self.required = required


# Each check is a small function, so tests can replace one to pretend something is missing.


def python_version() -> tuple[int, int]:
    return sys.version_info[:2]


def has_venv() -> bool:
    """The venv and ensurepip modules (Debian leaves them out of python3 and puts them in python3-venv)."""
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        return False
    return True


def has_command(name: str) -> bool:
    return shutil.which(name) is not None


def library_loads(soname: str, short_name: str) -> bool:
    """True if the dynamic linker finds this library, as WeasyPrint will look for it."""
    try:
        ctypes.CDLL(soname)
        return True
    except OSError:
        return ctypes.util.find_library(short_name) is not None


def has_chromium() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def find_missing(goal: str, env: dict[str, str] | None = None) -> list[Missing]:
    """Everything ``goal`` needs that this computer does not have."""
    env = dict(os.environ) if env is None else env
    missing: list[Missing] = []
    if python_version() < MIN_PYTHON:
        found = ".".join(str(n) for n in python_version())
        missing.append(Missing(f"Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer (this is Python {found})", ("python3",)))
    if not has_venv():
        missing.append(Missing("Python's venv and ensurepip modules, to make .venv", ("python3-venv",)))
    if not has_command("make"):
        missing.append(Missing("make", ("make",)))
    if not has_command("node"):
        missing.append(Missing("Node.js 20 and npm, for the front-end packages", ("nodejs", "npm")))
    elif not has_command("npm"):
        missing.append(Missing("npm, for the front-end packages", ("npm",)))
    for soname, short_name, package in LIBRARIES:
        if not library_loads(soname, short_name):
            missing.append(Missing(f"{soname}, which WeasyPrint needs to make PDF certificates", (package,)))
    if goal == "test" and not has_chromium():
        required = env.get("COLLAB_REQUIRE_BROWSER") == "1"
        missing.append(Missing(f"Chromium ({CHROMIUM}), for the browser tests", ("chromium",), required=required))
    if goal == "test" and not has_command("java"):  # polish (issue 9): the Nu HTML Checker runs on Java
        required = env.get("COLLAB_REQUIRE_BROWSER") == "1"
        missing.append(Missing("Java, for the HTML check in the browser tests", ("default-jre-headless",), required=required))
    return missing


def apt_line(missing: list[Missing]) -> str:
    packages: list[str] = []
    for item in missing:
        packages.extend(p for p in item.packages if p not in packages)
    return "sudo apt-get install -y " + " ".join(packages)


def report(goal: str, missing: list[Missing]) -> tuple[str, int]:
    """What to print, and the exit status."""
    if not missing:
        return "", 0
    failing = [m for m in missing if m.required]
    if not failing:
        return (
            "Warning: Chromium is not installed, so the browser tests will be skipped.\n"
            "To run them too, install it with:\n\n"
            f"    {apt_line(missing)}\n",
            0,
        )
    lines = [f"`make {goal}` cannot start yet. This computer is missing:"]
    lines += [f"  - {m.what}" + ("" if m.required else " (optional)") for m in missing]
    lines += ["", "Install everything at once with:", "", f"    {apt_line(missing)}", "", f"then run `make {goal}` again."]
    if any("nodejs" in m.packages for m in missing):
        lines += ["(Collab is tested with Node.js 20, from nodejs.org or NodeSource; Debian 12's own nodejs is 18.)"]
    return "\n".join(lines) + "\n", 1


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    goal = args[0] if args else "run"
    if goal not in GOALS:
        print(f"usage: {os.path.basename(__file__)} [--missing] {{{'|'.join(GOALS)}}}", file=sys.stderr)
        return 2
    missing = find_missing(goal)
    if "--missing" in argv:
        # For .ci/run: the Debian packages to install, on one line (nothing when all is there).
        line = apt_line(missing)[len("sudo apt-get install -y "):]
        if line:
            print(line)
        return 0
    text, status = report(goal, missing)
    if text:
        print(text, end="", file=sys.stderr if status else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
