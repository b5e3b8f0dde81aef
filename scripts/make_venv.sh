#!/bin/sh
# Make Collab's virtual environment, or leave nothing behind.
#
#     sh scripts/make_venv.sh PYTHON VENV      (the Makefile runs it: make VENV=... to choose the folder)
#
# A venv counts as made only when VENV/.created exists. On a fresh Debian without python3-venv,
# `python3 -m venv` fails half-way and leaves a folder with a python but no pip; the next
# `make run` must not take that for a good venv, so a failed attempt removes the folder.
# A working venv made before the marker existed (it has a python and a pip) is kept and marked.
set -u

PYTHON="${1:-python3}"
VENV="${2:-.venv}"
MARKER="$VENV/.created"

case "$VENV" in
    ""|"/"|"."|".."|"~") echo "make_venv.sh: refusing to use '$VENV' as the virtual environment" >&2; exit 2 ;;
esac

works() {
    "$VENV/bin/python" -c "import sys" >/dev/null 2>&1 && "$VENV/bin/python" -m pip --version >/dev/null 2>&1
}

if [ -e "$MARKER" ]; then
    exit 0
fi

if [ -e "$VENV" ] || [ -L "$VENV" ]; then
    if works; then
        touch "$MARKER"
        exit 0
    fi
    echo "Removing $VENV: an earlier attempt left it half-made."
    rm -rf "$VENV"
fi

give_up() {
    rm -rf "$VENV"
    echo "Could not make the virtual environment $VENV, so it has been removed." >&2
    echo "Run '$PYTHON scripts/check_prereqs.py' to see what this computer is missing." >&2
    exit 1
}
trap 'give_up' INT TERM

echo "Making the virtual environment in $VENV"
"$PYTHON" -m venv "$VENV" || give_up
"$VENV/bin/python" -m pip install --quiet --upgrade pip || give_up
trap - INT TERM
touch "$MARKER"
