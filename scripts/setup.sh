#!/usr/bin/env bash
# Installs what docgen needs on a Debian/Ubuntu machine and builds the virtualenv in .venv.
# Safe to run again: it only does what is missing. Used by `make run` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-pip python3-uno   # Debian's Python: the only one with `import uno`
  libreoffice-writer-nogui                       # DOCX → PDF, PDF/A (design D1, D2)
  fonts-liberation2                              # metric-compatible Times New Roman (design D11)
  poppler-utils                                  # pdftotext, pdftoppm (previews, tests)
  chromium chromium-driver                       # the browser that drives the web tests
  postgresql-client                              # pg_dump / pg_restore for `docgen backup` on PostgreSQL
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "docgen cần các gói hệ thống sau, hãy nhờ quản trị viên cài đặt:" >&2
    echo "  apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "==> apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The venv is built from Debian's interpreter with system site-packages so `import uno` works.
if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -c "import uno" 2>/dev/null; then
  rm -rf .venv
  echo "==> /usr/bin/python3 -m venv --system-site-packages .venv"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
stamp=.venv/.docgen-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  echo "==> pip install -e .[dev]"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi
