# Sourced by scripts/demo and scripts/test: a project virtual environment in .venv with the
# package installed (editable) plus the extras named in $DATAPACK_EXTRAS.
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv || {
    echo "Could not create a virtual environment: install Python 3.11+ with venv (e.g. 'apt-get install python3-venv')." >&2
    exit 1
  }
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${DATAPACK_EXTRAS:-}"
export PATH="$PWD/.venv/bin:$PATH"
