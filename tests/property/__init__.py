"""Property-based tests (Hypothesis) of issue 13's guarantee: hostile text in every text field of
every entry kind gives either a clean bilingual diagnostic with file:line:field, or a site and
exports where the text appears as text, everywhere it is shown.

`make test` runs the "ci" profile (a bounded, fixed set of examples); the long run explores:

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/property -q
"""
