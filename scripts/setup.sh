#!/usr/bin/env bash
# Prepare this checkout: a virtualenv in .venv with the project and its test tools.
#   scripts/setup.sh              Python packages, plus Debian's Pango and CJK fonts (the PDF export)
#   scripts/setup.sh --browser    also Debian's Chromium, poppler-utils and nginx-light, for the tests
#                                 (and everything --editor installs: the tests drive the editor)
#   scripts/setup.sh --editor     also Node.js and the web editor's npm packages (editor/), for `make edit`
#   scripts/setup.sh --bench      also Debian's hugo, the reference of benchmarks/build_bench.py
#   scripts/setup.sh --check-only print the system packages that would be installed, install nothing
# Safe to run repeatedly: it only reinstalls when pyproject.toml or requirements/lock.txt changed,
# and installs a system package only when it is missing.
#
# Python packages come from requirements/lock.txt, every one pinned with its sha256 hashes (pip
# included, and setuptools, which builds the project), then the project itself, editable and
# without resolving anything. `make lock` refreshes the lock from pyproject.toml.
#
# No check here pipes a command into `grep -q`: under `set -o pipefail` grep -q quits at its first
# match, the writer then dies of SIGPIPE and the pipeline fails, so a package that is there was
# found "missing" at random (12 runs in 20 for the CJK font) and apt-get ran for nothing. Every
# check captures the command's output first, then looks in it.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
want_editor=0
want_bench=0
check_only=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1; want_editor=1 ;;
    --editor) want_editor=1 ;;
    --bench) want_bench=1 ;;
    --check-only) check_only=1 ;;
    *) echo "scripts/setup.sh: unknown option $arg (known: --browser, --editor, --bench, --check-only)" >&2; exit 2 ;;
  esac
done

# the shared library `name` is known to the dynamic linker
has_library() {
  local libraries
  libraries="$(ldconfig -p 2>/dev/null || true)"
  [[ "$libraries" == *"$1"* ]]
}

# a font family containing `name` (case-insensitive) is installed
has_font() {
  local families
  families="$(fc-list : family 2>/dev/null || true)"
  [[ "${families,,}" == *"${1,,}"* ]]
}

missing_packages() {
  missing=()
  # the PDF export (weasyprint) lays text out with Pango and embeds Noto CJK
  has_library "libpangoft2-1.0.so.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
  has_font "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  if [ "$want_browser" = 1 ]; then
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    command -v pdffonts >/dev/null || missing+=(poppler-utils)  # pdftotext/pdffonts/pdftoppm read exports back
    [ -x /usr/sbin/nginx ] || missing+=(nginx-light)  # the tests serve the built site with a real nginx
  fi
  if [ "$want_editor" = 1 ] || [ "$want_browser" = 1 ]; then
    command -v npm >/dev/null || missing+=(nodejs npm)  # the editor (Decap CMS) and the browser tests' axe-core
  fi
  if [ "$want_bench" = 1 ]; then
    command -v hugo >/dev/null || missing+=(hugo)  # build_bench.py times Hugo on the same cases
  fi
}

missing_packages
if [ "$check_only" = 1 ]; then
  echo "missing system packages: ${missing[*]:-none}"
  exit 0
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.showcase-installed
lock=requirements/lock.txt
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
  echo "==> installing Python packages from $lock"
  # Hash-checking mode takes no editable requirement (it has no single file to hash), hence two
  # steps. The first also brings pip and setuptools to their locked versions, whatever pip the
  # venv came with (pip upgrades itself in place on Linux). The second builds the project with
  # that setuptools (--no-build-isolation: no unpinned build backend is downloaded) and resolves
  # nothing (--no-deps), so a dependency added to pyproject.toml arrives only through `make lock`
  # (tests/unit/test_install_lock.py fails until then).
  .venv/bin/python -m pip install -q --require-hashes -r "$lock"
  .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
  touch "$stamp"
fi

# npm packages come from the npm registry through a committed package-lock.json, never from a
# CDN at run time: the browser tests' tools (axe-core for the WCAG checks) in tests/browser, the
# web editor (Decap CMS and decap-server) in editor/. `npm ci` runs only when node_modules is
# missing or the lock changed since the last install (its checksum is kept in node_modules; the
# editor's own start, generator/editor/server.py, reads the same stamp); the checksum is read into
# a variable and compared, nothing is piped into grep.
npm_install() {
  local node_dir="$1" what="$2"
  local lock_stamp="$node_dir/node_modules/.showcase-lock.sha256"
  local lock_sum installed_sum=""
  lock_sum="$(sha256sum "$node_dir/package-lock.json")"
  lock_sum="${lock_sum%% *}"
  [ -f "$lock_stamp" ] && installed_sum="$(cat "$lock_stamp")"
  if [ ! -d "$node_dir/node_modules" ] || [ "$installed_sum" != "$lock_sum" ]; then
    if ! command -v npm >/dev/null; then
      echo "scripts/setup.sh: npm is missing; $what needs it to install $node_dir/package-lock.json." >&2
      echo "  Install Node.js with npm (Debian: apt-get install nodejs npm), then run again." >&2
      exit 1
    fi
    echo "==> installing $what's npm packages (npm ci in $node_dir)"
    (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
    printf '%s\n' "$lock_sum" > "$lock_stamp"
  fi
}
if [ "$want_browser" = 1 ]; then
  npm_install tests/browser "the browser tests"
fi
if [ "$want_editor" = 1 ]; then
  npm_install editor "the web editor"
fi
