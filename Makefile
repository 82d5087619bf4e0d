# The two commands of the README:
#   make serve   install what is needed, build the sample site and serve it at http://127.0.0.1:8000
#   make test    install what is needed (incl. Chromium and CJK fonts via apt) and run every test
# and the one that refreshes the lock of Python packages that scripts/setup.sh installs from:
#   make lock    after changing pyproject.toml (see below)
.PHONY: serve edit build test bench clean lock
export NO_MKDOCS_2_WARNING := 1

serve:
	scripts/setup.sh
	.venv/bin/mkdocs serve -a 127.0.0.1:8000

# the web editor (Decap CMS, in Chinese) and the live preview at http://127.0.0.1:8000/admin/ (editor/README.md)
edit:
	scripts/setup.sh --editor
	.venv/bin/showcase edit

build:
	scripts/setup.sh
	.venv/bin/mkdocs build

test:
	scripts/setup.sh --browser
	.venv/bin/python -m pytest -n $${TEST_WORKERS:-2} --dist loadfile

bench:
	scripts/setup.sh --bench
	.venv/bin/python benchmarks/build_bench.py --cases 100 --repeat 3
	.venv/bin/python benchmarks/build_bench.py --cases 1000 --repeat 3

clean:
	rm -rf site .cache

# requirements/lock.txt: every Python package that scripts/setup.sh installs, pinned with its
# hashes. uv (pinned here, installed into .venv on first use) resolves pyproject.toml's
# dependencies and `test` extra, plus pip and the build backend (build-system.requires), for
# CPython $(LOCK_PYTHON) (python3 on the project's machines) on Linux x86_64. Pins already in the
# lock are kept, so a run after adding a dependency changes only what it must; UPGRADE=1 moves
# every package to its newest allowed release, UPGRADE="mkdocs-material ..." only those named.
UV_VERSION := 0.13.9
LOCK_PYTHON := 3.11.7
LOCK := requirements/lock.txt
ifeq ($(UPGRADE),)
LOCK_UPGRADE :=
else ifeq ($(UPGRADE),1)
LOCK_UPGRADE := --upgrade
else
LOCK_UPGRADE := $(addprefix --upgrade-package=,$(UPGRADE))
endif
define LOCK_HEADER
# Every Python package that scripts/setup.sh installs, pinned with its hashes:
#   pip install --require-hashes -r requirements/lock.txt
#   pip install --no-deps --no-build-isolation -e .   (the project itself)
# Made by uv $(UV_VERSION) from pyproject.toml (its dependencies and `test` extra, plus pip and the
# build backend of build-system.requires) for CPython $(LOCK_PYTHON) on Linux x86_64.
# Do not edit by hand. Refresh it with `make lock` after changing pyproject.toml (other pins are
# kept); `make lock UPGRADE=mkdocs-material` takes one package's newest allowed release (a
# security fix), `make lock UPGRADE=1` every package's. tests/unit/test_install_lock.py fails
# while this file and pyproject.toml disagree, or .venv and this file do.
endef
export LOCK_HEADER

lock:
	@test -x .venv/bin/python || $${PYTHON:-python3} -m venv .venv
	@case "$$(.venv/bin/uv --version 2>/dev/null)" in \
	  "uv $(UV_VERSION) "*) ;; \
	  *) echo "==> installing uv $(UV_VERSION) into .venv"; .venv/bin/python -m pip install -q "uv==$(UV_VERSION)" ;; \
	esac
	@mkdir -p $(dir $(LOCK))
	@.venv/bin/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], "pip", sep="\n")' > .venv/.lock-inputs
	.venv/bin/uv pip compile --quiet pyproject.toml - --extra test --generate-hashes \
	  --python-version $(LOCK_PYTHON) --python-platform x86_64-unknown-linux-gnu \
	  --no-header $(LOCK_UPGRADE) --output-file $(LOCK) < .venv/.lock-inputs
	@{ printf '%s\n\n' "$$LOCK_HEADER"; cat $(LOCK); } > $(LOCK).tmp && mv $(LOCK).tmp $(LOCK)
