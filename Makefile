# tigress: `make demo` runs the main job on the demo data, `make test` runs every test.
# Both create the virtual environment first when it is missing or out of date.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install export readme docs-offline clean

demo: $(STAMP)
	$(BIN)/tigress demo

# nbdev_test runs two notebooks at once with one torch thread each: two workers of two threads on two cores took 2.5x as long
test: $(STAMP) .recbole/.installed
	OMP_NUM_THREADS=1 $(BIN)/nbdev_test --n_workers 2 --timing
	$(BIN)/pytest -q --durations=15 tests

install: $(STAMP)

# RecBole (the independent SASRec that benchmarks/recbole_side_by_side.py runs beside ours), in its own package folder
.recbole/.installed: benchmarks/recbole_side_by_side.py | $(STAMP)
	$(BIN)/python benchmarks/recbole_side_by_side.py --prepare
	touch .recbole/.installed

$(STAMP): setup.py settings.ini constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

export: $(STAMP)
	$(BIN)/nbdev_export

# README.md is made from nbs/index.ipynb (nbdev_readme needs Quarto; this does not), after its Beauty results
# are rendered from benchmarks/results (tools/readme_results.py)
readme: $(STAMP)
	$(BIN)/python tools/readme_results.py
	$(BIN)/jupyter nbconvert --to markdown --execute --log-level WARN nbs/index.ipynb --output-dir . --output README
	sed -i 's#](images/#](nbs/images/#g' README.md  # pictures live in nbs/images, where the docs find them too
	touch README.md

# Docs without Quarto: nbdev's processing of the notebooks, rendered to plain HTML
docs-offline: $(STAMP)
	$(BIN)/python tools/docs_offline.py _docs_offline

clean:
	rm -rf _proc _docs _docs_offline runs .pytest_cache
