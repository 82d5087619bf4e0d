"""What the form calls each field, and the few choices a field's type does not tell.

Labels name a field in both languages (the words of the workbook's headers, authoring/sheets.py,
where it has the field); the hints, which explain a field, come from the scaffolds (hints.py).
Every table is keyed by field name, with (model, field) entries where one name means two things.
A field missing from LABELS, or a bilingual text missing from TEXT_WIDGETS, stops the generator
(config.UnmappedField): a new field is noticed, never shown under a guessed label.
"""

from __future__ import annotations

from ..content import models as m

LABELS: dict[str | tuple[type, str], tuple[str, str]] = {
    # every entry
    "id": ("编号", "Id"),
    "illustrative": ("示意内容", "Illustrative"),
    "sources": ("依据的文件", "Sources"),
    "document": ("文件", "Document"),
    "section": ("条款或附件", "Section"),
    # cases, sites, milestones, pages
    "title": ("标题", "Title"),
    (m.Case, "title"): ("案例名称", "Title"),
    "name": ("项目名称", "Project name"),
    "district": ("区", "District"),
    "street": ("街道/镇", "Sub-district/town"),
    "year": ("年份", "Year"),
    (m.Case, "year"): ("入选年份", "Year of selection"),
    (m.CompetitionSite, "year"): ("征集年份", "Year of the design call"),
    "award": ("评选级别", "Award level"),
    "types": ("案例类型", "Case types"),
    "services": ("“十全十美”服务", "Services"),
    "construction": ("建设类型", "Construction"),
    "status": ("状态", "Status"),
    "completed": ("建成日期", "Completed"),
    "floor_area_m2": ("建筑面积（平方米）", "Floor area (m²)"),
    "site_area_m2": ("用地面积（平方米）", "Site area (m²)"),
    "location": ("位置", "Location"),
    "lat": ("纬度", "Latitude"),
    "lon": ("经度", "Longitude"),
    "approximate": ("位置是否为近似", "Approximate location"),
    "datum": ("坐标系", "Datum"),
    "note": ("说明", "Note"),
    (m.Location, "note"): ("位置说明", "Location note"),
    "address": ("地址", "Address"),
    "summary": ("摘要", "Summary"),
    "body": ("正文", "Text"),
    "media": ("照片和视频", "Photos and videos"),
    "file": ("文件名", "File"),
    "url": ("视频网页地址", "Video page address"),
    "poster": ("视频封面", "Video poster"),
    "kind": ("类型", "Kind"),
    (m.Meeting, "kind"): ("会议类型", "Meeting kind"),
    "pair": ("对比组", "Comparison pair"),
    "caption": ("图注", "Caption"),
    "alt": ("替代文字", "Alt text"),
    "credit": ("来源/摄影", "Credit"),
    "placeholder": ("示意图片（非实拍）", "Placeholder image"),
    "participation": ("一图三会记录", "Participation (一图三会)"),
    "date": ("日期", "Date"),
    "participants": ("参加人数", "Participants"),
    "number": ("序号", "Number"),
    (m.Document, "number"): ("文号", "Document number"),
    "issuer": ("发文单位", "Issuer"),
    "case": ("案例", "Case"),
    (m.CompetitionSite, "case"): ("对应案例编号", "Case id"),
    "documents": ("相关文件", "Documents"),
    (m.DocumentList, "documents"): ("文件", "Documents"),
    # glossary
    "term": ("词语", "Term"),
    "aliases": ("其他写法", "Other spellings"),
    "short": ("一句话解释", "Short definition"),
    "definition": ("定义原文", "Definition"),
    "related": ("相关词语", "Related terms"),
    "cases": ("相关案例", "Cases"),
    "sites": ("相关竞赛点位", "Competition sites"),
    "order": ("排列顺序", "Order"),
    "zh": ("中文", "Chinese"),
    "en": ("英文", "English"),
    # exhibitions
    "subtitle": ("副标题", "Subtitle"),
    "opens": ("开展日期", "Opens"),
    "closes": ("闭展日期", "Closes"),
    "venue": ("展览地点", "Venue"),
    "organisers": ("主办单位", "Organisers"),
    "cover": ("封面图片（media 中的文件名）", "Cover (a file name from media)"),
    "introduction": ("前言", "Introduction"),
    "rooms": ("展厅", "Rooms"),
    "text": ("展厅说明", "Room text"),
    "items": ("展品", "Items"),
    "site": ("竞赛点位", "Competition site"),
    "milestone": ("大事记", "Milestone"),
    (m.ExhibitItem, "media"): ("本展览的图片（media 中的文件名）", "An image of this exhibition (file name)"),
    (m.ExhibitItem, "caption"): ("策展说明", "Curator's caption"),
    # statistics
    "rows": ("各区", "Rows"),
    "row": ("序号", "Row"),
    "totals": ("合计（照原文）", "Totals (as printed)"),
    "projects": ("项目总数", "Projects"),
    (m.PlanFigures, "completed"): ("年内完成数量", "Completed in the year"),
    "renminfang": ("人民坊项目数量", "Renminfang projects"),
    "renminfang_completed": ("人民坊完成数量", "Renminfang completed"),
    "liuyiting": ("六艺亭项目数量", "Liuyiting projects"),
    "liuyiting_completed": ("六艺亭完成数量", "Liuyiting completed"),
}

# How each bilingual text is edited: one line, several lines, or Markdown (what the site renders
# as Markdown: bodies, a definition, an exhibition's introduction and a room's text).
TEXT_WIDGETS: dict[str | tuple[type, str], str] = {
    "title": "string", "name": "string", "street": "string", "address": "string", "term": "string",
    "subtitle": "string", "venue": "string", "credit": "string", "issuer": "string", "organisers": "string",
    "summary": "text", "short": "text", "caption": "text", "alt": "text", "note": "text",
    "body": "markdown", "definition": "markdown", "introduction": "markdown", (m.Room, "text"): "markdown",
}

# Fields that name another entry by id: (model, field) -> the content folder of that entry, or
# "documents" for cases/documents.yaml. The same references collection.py checks.
REFERENCES: dict[tuple[type, str], str] = {
    (m.CompetitionSite, "case"): "excellent",
    (m.GlossaryTerm, "related"): "glossary",
    (m.GlossaryTerm, "cases"): "excellent",
    (m.GlossaryTerm, "sites"): "competition",
    (m.ExhibitItem, "case"): "excellent",
    (m.ExhibitItem, "site"): "competition",
    (m.ExhibitItem, "milestone"): "milestones",
    (m.SourceRef, "document"): "documents",
}

# File names of the entry's own media folder, chosen or uploaded in the form (the stored value is
# the bare file name). A file name that must already be listed under `media:` (an exhibition's
# cover, an item's image) stays a text field: an upload there would not be listed.
MEDIA_FILES: set[tuple[type, str]] = {(m.Media, "file"), (m.Media, "poster")}
PLAIN_FILE_NAMES: set[tuple[type, str]] = {(m.Exhibition, "cover"), (m.ExhibitItem, "media")}

# Collections: the content folder, both names, and the field a list of entries shows.
COLLECTION_LABELS: dict[str, tuple[str, str, str, str]] = {
    # folder: (zh, en, singular zh, singular en)
    "excellent": ("优秀案例", "Excellent cases", "优秀案例", "Excellent case"),
    "competition": ("人民坊竞赛点位", "Competition sites", "竞赛点位", "Competition site"),
    "milestones": ("大事记", "Milestones", "大事记", "Milestone"),
    "exhibitions": ("线上展览", "Exhibitions", "展览", "Exhibition"),
    "glossary": ("词语解释", "Glossary", "词语", "Term"),
    "pages": ("页面", "Pages", "页面", "Page"),
    "statistics": ("计划统计表", "Plan statistics", "统计表", "Plan table"),
    "documents": ("依据文件", "Source documents", "文件", "Documents"),
}


def lookup(table: dict, model: type, name: str):
    """The entry for `name` on `model` (or on a model it inherits the field from), else by name."""
    for klass in model.__mro__:
        if (klass, name) in table:
            return table[(klass, name)]
    return table.get(name)
