"""Turn a loaded YAML file into a typed model, or into plain-language diagnostics.

Knows the schema, not MkDocs. Each pydantic error is mapped back to the YAML line it concerns
and rewritten in Chinese and English with what would be valid instead.
"""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..diagnostics import Bilingual, Diagnostic, error, format_path
from ..load import SourceFile
from .reference import reference

M = TypeVar("M", bound=BaseModel)

# Plain names for fields, so a message reads "标题 (title)" rather than a bare key.
FIELD_NAMES_ZH = {
    "id": "编号", "title": "标题", "name": "名称", "district": "区", "street": "街道/镇", "year": "年份",
    "award": "评选级别", "types": "案例类型", "services": "十全十美服务", "construction": "建设类型",
    "status": "状态", "completed": "建成日期", "floor_area_m2": "建筑面积（平方米）",
    "site_area_m2": "用地面积（平方米）", "location": "位置", "lat": "纬度", "lon": "经度",
    "address": "地址", "summary": "摘要", "body": "正文", "media": "媒体", "file": "文件",
    "kind": "类型", "caption": "图注", "alt": "替代文字", "credit": "来源/摄影", "participation": "一图三会记录",
    "date": "日期", "participants": "参与人数", "sources": "来源", "document": "文件", "section": "章节",
    "illustrative": "示意内容标记", "number": "序号", "case": "对应案例", "documents": "相关文件",
    "rows": "行", "row": "序号", "totals": "合计", "projects": "项目总数", "zh": "中文", "en": "英文",
    "term": "词语", "aliases": "其他写法", "short": "一句话解释", "definition": "定义原文", "related": "相关词语",
    "cases": "相关案例", "sites": "相关人民坊点位", "order": "排列顺序",
}


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names the model accepts at `loc` (used to suggest the right spelling of a typo)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            break
        annotation = fields[part].annotation
        current = _model_in(annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found:
            return found
    return None


def validate_entry(source: SourceFile, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    if not isinstance(source.data, dict):
        return None, [error("not_a_mapping", source.display, source.line_for(()), None,
                            "文件内容应是“字段: 值”的列表", "the file should contain 'field: value' lines",
                            Bilingual("参照现有条目的写法", "follow the layout of an existing entry"))]
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        return None, [_diagnostic(source, model, err) for err in exc.errors(include_url=False)]


def _value_text(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…'"


def _diagnostic(source: SourceFile, model: type[BaseModel], err: dict) -> Diagnostic:
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    field = format_path(loc) or None
    line = source.line_for(loc)
    name = loc[-1] if loc and isinstance(loc[-1], str) else None
    label_zh = FIELD_NAMES_ZH.get(name, name) if name else "该项"

    def make(code: str, zh: str, en: str, hint: Bilingual | None = None) -> Diagnostic:
        return error(code, source.display, line, field, zh, en, hint)

    if kind == "missing":
        return make("missing_field", f"缺少必填字段“{label_zh}”（{name}）", f"the required field '{name}' is missing",
                    Bilingual(f"请添加一行 {name}: …", f"add a line '{name}: …'"))
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
        if close:
            hint = Bilingual(f"您是不是要写 {close[0]}？", f"did you mean '{close[0]}'?")
        else:
            hint = Bilingual("可用字段：" + "、".join(allowed), "valid fields: " + ", ".join(allowed))
        return make("unknown_field", f"未知字段“{name}”", f"unknown field '{name}'", hint)
    blank = value is None or (kind == "unknown_term" and ctx.get("value") in (None, ""))
    if kind in ("string_too_short", "too_short") or (blank and (kind.endswith("_type") or kind == "unknown_term")):
        return make("empty_value", f"“{label_zh}”（{name}）不能为空", f"'{name}' must not be empty",
                    Bilingual("请填写内容", "fill it in"))
    if kind == "unknown_term":
        vocabulary = getattr(reference(), ctx["vocabulary"])
        suggestions = [vocabulary[key] for key in ctx.get("suggestions", [])]
        shown = _value_text(ctx.get("value", value))
        hint = Bilingual(*vocabulary.unknown_hint(suggestions))
        return make(f"unknown_{vocabulary.name}", f"{shown} 不是{vocabulary.noun_zh}", f"{shown} is not a {vocabulary.noun_en}", hint)
    if kind == "invalid_date":
        from .models import explain_bad_date  # one wording for the loader, the check and the import

        message, hint = explain_bad_date(ctx.get("value", value))
        return make("invalid_date", message.zh, message.en, hint)
    if kind == "outside_shanghai":
        hint = (Bilingual("纬度和经度似乎写反了：上海约为纬度 31、经度 121", "latitude and longitude look swapped: Shanghai is near lat 31, lon 121")
                if ctx.get("swapped") else
                Bilingual("上海的纬度约 30.6–31.9、经度约 120.8–122.2（WGS-84）", "Shanghai lies at about lat 30.6–31.9, lon 120.8–122.2 (WGS-84)"))
        return make("outside_shanghai", f"坐标 ({ctx['lat']}, {ctx['lon']}) 不在上海市范围内",
                    f"the coordinates ({ctx['lat']}, {ctx['lon']}) are outside Shanghai", hint)
    if kind == "string_pattern_mismatch" and name in ("id", "case", "document"):
        return make("invalid_id", f"{_value_text(value)} 不是有效的编号", f"{_value_text(value)} is not a valid id",
                    Bilingual("只用小写拼音字母、数字和连字符，例如 changning-ningjuli",
                              "use lower-case letters, digits and hyphens only, e.g. changning-ningjuli"))
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return make("wrong_type", f"{_value_text(value)} 不是整数", f"{_value_text(value)} is not a whole number",
                    Bilingual("只写数字，例如 2024", "write digits only, e.g. 2024"))
    if kind in ("float_type", "float_parsing"):
        return make("wrong_type", f"{_value_text(value)} 不是数字", f"{_value_text(value)} is not a number",
                    Bilingual("只写数字，不带单位，例如 1915 或 31.2", "write the number without units, e.g. 1915 or 31.2"))
    if kind == "finite_number":
        return make("finite_number", f"{_value_text(value)} 不是有限的数字", f"{_value_text(value)} is not a finite number",
                    Bilingual("写出实际的数字，例如 1915；不要写 .inf 或 .nan", "write the actual number, e.g. 1915, not .inf or .nan"))
    if kind in ("bool_type", "bool_parsing"):
        return make("wrong_type", f"{_value_text(value)} 不是“是/否”", f"{_value_text(value)} is not yes/no",
                    Bilingual("写 true 或 false", "write true or false"))
    if kind in ("string_type",):
        return make("wrong_type", f"{_value_text(value)} 应为文字", f"{_value_text(value)} should be text",
                    Bilingual("直接写文字，必要时加引号", "write plain text, in quotes if needed"))
    if kind in ("list_type",):
        return make("wrong_type", f"“{label_zh}”（{name}）应为列表", f"'{name}' should be a list",
                    Bilingual("每项一行，以“- ”开头", "one item per line, each starting with '- '"))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return make("wrong_type", f"“{label_zh}”（{name}）的写法不对", f"'{name}' has the wrong shape",
                    Bilingual("参照示例：下一级字段缩进两个空格", "follow the example: nested fields indented by two spaces"))
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "?")
        op_zh = {"greater_than": "大于", "greater_than_equal": "不小于", "less_than": "小于", "less_than_equal": "不大于"}[kind]
        op_en = {"greater_than": "greater than", "greater_than_equal": "at least", "less_than": "less than", "less_than_equal": "at most"}[kind]
        return make("out_of_range", f"{_value_text(value)} 超出范围：应{op_zh} {bound}",
                    f"{_value_text(value)} is out of range: it must be {op_en} {bound}")
    media_rules = {
        "video_source": ("视频需要 file（本地 MP4）或 url（视频网站上的页面），二者选一", "a video needs either file (a local MP4) or url (its page on a video site), not both",
                         Bilingual("例如 file: 活动.mp4 或 url: https://…", "e.g. file: event.mp4 or url: https://…")),
        "video_format": ("视频文件应为 MP4", "a video file must be an MP4", Bilingual("请导出为 MP4（H.264）", "export it as MP4 (H.264)")),
        "media_file": ("图片需要 file（文件名）", "an image needs file (its file name)", Bilingual("例如 file: 改造后-1.jpg", "e.g. file: after-1.jpg")),
        "video_only": ("url 和 poster 只用于视频（kind: video）", "url and poster are only for videos (kind: video)", None),
        "exhibit_item": ("每个展品只写一项：case（案例）、site（人民坊点位）、milestone（大事记）或 media（本展览的图片）",
                         "an item shows exactly one of case, site, milestone or media",
                         Bilingual("例如 - case: changning-ningjuli 或 - media: 展厅全景.jpg", "e.g. - case: changning-ningjuli or - media: hall.jpg")),
        "pair_kind": ("pair 只用于改造前/改造后照片（kind: before 或 after）", "pair is only for before/after photos (kind: before or after)",
                      Bilingual("两张照片写同一个 pair，例如 pair: dining-room", "give both photos the same pair, e.g. pair: dining-room")),
    }
    if kind in media_rules:
        zh, en, hint = media_rules[kind]
        return make(kind, zh, en, hint)
    # Anything not mapped above still gets file, line and field, with pydantic's own words.
    return make(kind, f"“{label_zh}”（{name}）无效：{err['msg']}", f"'{name}' is invalid: {err['msg']}")
