"""The last line of defence: an exception nobody foresaw becomes a short bilingual message.

Content problems are diagnostics (diagnostics.py), never exceptions. Anything else that escapes
is a bug of ours, and the person who meets it is usually not a programmer. The two entry points
(the `showcase` command and the MkDocs plugin) catch it and print, in Chinese and English, that it
is an internal error, which file was being processed, and how to report it; the published site
stays as it was (the plugin's atomic swap never happens).

Stages say what they are working on with `working_on(file)`; an exception leaving that block
carries the file with it, so the message can name it after the stack has unwound.

Tests still fail on it: the command exits with INTERNAL_ERROR_EXIT (70, EX_SOFTWARE), which the
test helpers refuse, and the build log carries INTERNAL_ERROR_MARK, which they look for.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from .content.clean import visible
from .diagnostics import Bilingual

INTERNAL_ERROR_EXIT = 70  # sysexits.h EX_SOFTWARE: not 1 (content errors) nor 2 (usage)
INTERNAL_ERROR_MARK = "SHOWCASE-INTERNAL-ERROR"
DEBUG_VARIABLE = "SHOWCASE_DEBUG"

_current: ContextVar[str | None] = ContextVar("showcase_current_file", default=None)
_ATTRIBUTE = "showcase_file"


@contextmanager
def working_on(file: str | Path) -> Iterator[None]:
    """Mark the file being processed; an exception raised inside remembers it (the innermost
    mark wins)."""
    token = _current.set(str(file))
    try:
        yield
    except BaseException as exc:
        if getattr(exc, _ATTRIBUTE, None) is None:
            try:
                setattr(exc, _ATTRIBUTE, str(file))
            except (AttributeError, TypeError):  # pragma: no cover - exceptions with __slots__
                pass
        raise
    finally:
        _current.reset(token)


def file_of(exc: BaseException) -> str | None:
    """The file that was being processed when `exc` was raised, if a stage said so."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        found = getattr(exc, _ATTRIBUTE, None)
        if found:
            return found
        exc = exc.__cause__ or exc.__context__
    return _current.get()


def debugging() -> bool:
    return bool(os.environ.get(DEBUG_VARIABLE))


def internal_error(exc: BaseException, doing_zh: str, doing_en: str, *, site_kept: bool = False) -> Bilingual:
    """What to print for an unexpected exception: short, in both languages, with the file and what
    to send to whom. The details (the traceback) go to the debug log, or on screen with
    SHOWCASE_DEBUG=1."""
    where = file_of(exc)
    what = visible(f"{type(exc).__name__}: {exc}")[:500]
    zh = [f"{INTERNAL_ERROR_MARK} 内部错误（程序的问题，不是您的操作问题）：{doing_zh}时出错：{what}"]
    en = [f"{INTERNAL_ERROR_MARK} internal error (a fault in the program, not in what you did) while {doing_en}: {what}"]
    if where:
        zh.append(f"正在处理的文件：{visible(where)}")
        en.append(f"file being processed: {visible(where)}")
    if site_kept:
        zh.append("网站没有改动，仍是上次生成的版本。")
        en.append("The site was not changed: it is still the last good build.")
    zh.append(f"请把这段信息、所用的命令和上面的文件发给网站的技术维护人员；设置环境变量 {DEBUG_VARIABLE}=1 再运行一次可看到详细信息。")
    en.append(f"Please send this message, the command you ran and the file named above to the site's maintainers; "
              f"run it again with {DEBUG_VARIABLE}=1 set to see the details.")
    return Bilingual("\n".join(zh), "\n".join(en))
