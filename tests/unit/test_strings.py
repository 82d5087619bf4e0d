"""UI labels (site_templates/strings.yaml + strings/*.yaml): a label mistake stops the build with the
file and label named, rather than showing a cut or blank text on the site."""

from __future__ import annotations

import pytest

from generator.render.pages import Strings
from tests.helpers import ROOT


def labels(tmp_path, main: str, feature: str = ""):
    (tmp_path / "strings").mkdir()
    (tmp_path / "strings.yaml").write_text(main, encoding="utf-8")
    (tmp_path / "strings" / "feature.yaml").write_text(feature, encoding="utf-8")
    return Strings(tmp_path / "strings.yaml")


def test_the_project_labels_load_and_are_whole():
    strings = Strings(ROOT / "site_templates" / "strings.yaml")
    assert strings.get("downloads_docx", "en") == "The case collection (Word, editable)"
    assert all(set(value) == {"zh", "en"} for value in strings.table.values())


def test_a_comma_outside_quotes_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"feature.yaml: label 'x' has unknown parts \['C\)'\]"):
        labels(tmp_path, "a: {zh: 甲, en: A}\n", "x: {zh: 乙, en: B (D, C)}\n")


def test_a_label_defined_twice_or_without_a_language_is_refused(tmp_path):
    with pytest.raises(ValueError, match="label 'a' is already defined"):
        labels(tmp_path, "a: {zh: 甲, en: A}\n", "a: {zh: 乙, en: B}\n")
    with pytest.raises(ValueError, match="label 'b' has no en text"):
        (tmp_path / "strings.yaml").write_text("b: {zh: 乙}\n", encoding="utf-8")
        (tmp_path / "strings" / "feature.yaml").write_text("", encoding="utf-8")
        Strings(tmp_path / "strings.yaml")
