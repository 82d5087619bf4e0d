# The two commands of the README:
#   make serve   install what is needed, build the sample site and serve it at http://127.0.0.1:8000
#   make test    install what is needed (incl. Chromium and CJK fonts via apt) and run every test
.PHONY: serve build test bench clean
export NO_MKDOCS_2_WARNING := 1

serve:
	scripts/setup.sh
	.venv/bin/mkdocs serve -a 127.0.0.1:8000

build:
	scripts/setup.sh
	.venv/bin/mkdocs build

test:
	scripts/setup.sh --browser
	.venv/bin/python -m pytest -n $${TEST_WORKERS:-2} --dist loadfile

bench:
	scripts/setup.sh
	.venv/bin/python benchmarks/build_bench.py --cases 100
	.venv/bin/python benchmarks/build_bench.py --cases 1000

clean:
	rm -rf site .cache
