"""`showcase publish REMOTE`: the built site into a bucket (OSS, COS, any S3-compatible store) through
rclone, in one step. The work is generator/publish/upload.py; this is the command around it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..diagnostics import LABELS, REPORT_INDENT, Severity
from .common import FAILED, OK, console, lang_option, progress
from .i18n import Say

SHOWN_DELETIONS = 20  # listed before asking; --dry-run lists them all


def _site_dir(say: Say, site: Path | None) -> Path:
    """--site, else the site_dir of the project's mkdocs.yml (this folder or above)."""
    if site is not None:
        return site
    from .project import find_config

    config_file = find_config(Path.cwd())
    if config_file is None:
        raise click.UsageError(say("找不到 mkdocs.yml：请在项目文件夹里运行，或用 --site 指明生成的网站文件夹",
                                   "no mkdocs.yml found: run this in the project folder, or give the built site with --site"))
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, encoding="utf-8") as handle:
        config = yaml_load(handle) or {}
    return config_file.parent / str(config.get("site_dir") or "site")


def _error(say: Say, zh: str, en: str, detail: str = "") -> None:
    """Like an error of `showcase check`: the reader's language, then the other one indented (a
    message that can be forwarded as it is), then rclone's own words if it said anything."""
    first, second = ("zh", "en") if say.lang == "zh" else ("en", "zh")
    text = {"zh": zh, "en": en}
    err = console(stderr=True)
    err.print(LABELS[Severity.ERROR].get(first), style="bold red", end=" ")
    err.print(text[first])
    err.print(f"{REPORT_INDENT}{LABELS[Severity.ERROR].get(second)} {text[second]}")
    if detail:
        err.print(say("rclone 的原话：", "rclone said:"))
        for line in detail.splitlines():
            err.print(f"{REPORT_INDENT}{line}")


def commands(say: Say) -> list[click.Command]:
    @click.command("publish", help=say(
        "把生成好的网站（site/）发布到对象存储：阿里云 OSS、腾讯云 COS 或其他 S3 兼容存储，经 rclone 上传。"
        "REMOTE 是 rclone 的远端路径，如 oss:my-bucket、cos:my-bucket-1250000000/showcase；远端用 rclone 自己的配置"
        "（rclone config，或 RCLONE_CONFIG_<名称>_TYPE=s3 等环境变量，见 README“发布”一节）。\n\n"
        "每个文件带上生成时定好的 Content-Type 和 Cache-Control；先上传按内容命名的文件，再上传其他文件、页面，"
        "最后是首页和 404 页，读者不会看到缺少样式或脚本的页面；全部上传成功后才删除新网站里已没有的文件。"
        "内容没变的文件不重传。不上传 .deploy/ 和 .gz 预压缩文件。\n\n"
        "先列出要上传和删除的文件，确认后才执行（--yes 不询问）；--dry-run 只列出，不改动任何文件。"
        "退出码：0 成功，1 未生成网站、远端不可用或上传失败，2 用法有误。",
        "Publish the built site (site/) to object storage: Alibaba Cloud OSS, Tencent Cloud COS or another "
        "S3-compatible store, uploaded by rclone. REMOTE is an rclone remote path such as oss:my-bucket or "
        "cos:my-bucket-1250000000/showcase; the remote is set up in rclone's own configuration (rclone config, or "
        "environment variables RCLONE_CONFIG_<NAME>_TYPE=s3 and so on: README, Publishing).\n\n"
        "Every file goes up with the Content-Type and Cache-Control the build decided; content-hashed files first, "
        "then the other files, the pages, and the home and 404 pages last, so no reader meets a page without its "
        "styles or scripts; only when everything is up are the files the new build no longer has deleted. Unchanged "
        "files are not sent again. .deploy/ and the .gz pre-compressed copies are never uploaded.\n\n"
        "It lists what it will upload and delete and asks first (--yes does not ask); --dry-run only lists and "
        "changes nothing. Exit code: 0 done, 1 no finished build, the remote unusable or an upload failed, 2 wrong usage."),
        short_help=say("发布网站到 OSS/COS 存储桶", "Publish the site to an OSS/COS bucket"))
    @click.argument("remote", metavar="REMOTE")
    @click.option("--site", "site", type=click.Path(file_okay=False, path_type=Path),
                  help=say("生成的网站文件夹（默认取 mkdocs.yml 中的 site_dir，通常是 site/）",
                           "the built site folder (default: site_dir of mkdocs.yml, usually site/)"))
    @click.option("--dry-run", is_flag=True, help=say("只列出将上传和删除的文件，不改动任何文件",
                                                      "list what would be uploaded and deleted; change nothing"))
    @click.option("-y", "--yes", is_flag=True, help=say("不询问，直接发布（用于脚本）", "publish without asking (for scripts)"))
    @click.option("--check-headers", is_flag=True, help=say(
        "同时读取远端每个文件的 Content-Type 和 Cache-Control，与规则不同的重新上传（每个文件一次请求，较慢；"
        "规则改变后，或远端文件由其他工具上传时使用）",
        "also read each remote file's Content-Type and Cache-Control and upload again those that differ from the rules "
        "(one request per file, slower; after the rules changed, or over files another tool uploaded)"))
    @lang_option(say)
    @click.help_option("-h", "--help", help=say("显示帮助并退出", "Show this message and exit."))
    def publish(remote: str, site: Path | None, dry_run: bool, yes: bool, check_headers: bool) -> int:
        from ..publish.upload import PublishError, Rclone, check_remote, execute, human_size, plan_publish

        try:
            remote = check_remote(remote)
        except ValueError as exc:
            raise click.BadParameter(exc.args[0].get(say.lang), param_hint="REMOTE") from None
        site_dir = _site_dir(say, site)
        out = console()
        try:
            rclone = Rclone()
            with progress() as bar:
                bar.add_task(say("读取网站和远端文件列表", "reading the site and the remote's listing"), total=None)
                plan = plan_publish(site_dir, remote, rclone, check_headers=check_headers)
        except PublishError as exc:
            _error(say, exc.message.zh, exc.message.en, exc.detail)
            return FAILED

        _print_plan(out, say, plan, site_dir, listing=dry_run)
        if dry_run:
            out.print(say("试运行：未上传、未删除任何文件", "dry run: nothing was uploaded or deleted"), style="bold")
            return OK
        if not plan.changes:
            out.print(say(f"{remote} 已是最新：{len(plan.unchanged)} 个文件未变", f"{remote} is up to date: {len(plan.unchanged)} files unchanged"),
                      style="green")
            return OK
        if not yes:
            if not sys.stdin.isatty():
                raise click.UsageError(say(f"要改动 {remote} 上的文件：请加 --yes 确认（或在终端中运行，以便询问）",
                                           f"this changes the files on {remote}: add --yes to confirm (or run it in a terminal to be asked)"))
            click.confirm(say(f"发布到 {remote}？", f"Publish to {remote}?"), abort=True)

        def uploaded(batch) -> None:
            out.print(say(f"  已上传 {batch.stage.label.zh}：{len(batch.files)} 个文件（{human_size(batch.size)}，{batch.content_type}）",
                          f"  uploaded {batch.stage.label.en}: {len(batch.files)} files ({human_size(batch.size)}, {batch.content_type})"))

        def deleted(count: int) -> None:
            out.print(say(f"  已删除 {count} 个旧文件", f"  deleted {count} old files"))

        try:
            execute(plan, rclone, on_batch=uploaded, on_delete=deleted)
        except PublishError as exc:
            _error(say, exc.message.zh, exc.message.en, exc.detail)
            return FAILED
        out.print(say(f"已发布到 {remote}：上传 {len(plan.upload)} 个文件（{human_size(plan.upload_bytes)}），"
                      f"未变 {len(plan.unchanged)} 个，删除 {len(plan.delete)} 个",
                      f"published to {remote}: {len(plan.upload)} files uploaded ({human_size(plan.upload_bytes)}), "
                      f"{len(plan.unchanged)} unchanged, {len(plan.delete)} deleted"), style="green")
        return OK

    return [publish]


def _print_plan(out, say: Say, plan, site_dir: Path, listing: bool) -> None:
    """The counts; with `listing`, every file to upload (by batch, with its headers) and to delete.
    Deletions are always shown (the first SHOWN_DELETIONS): they are what cannot be undone."""
    from ..publish.upload import human_size

    new = sum(1 for reason in plan.reasons.values() if reason == "new")
    headers = sum(1 for reason in plan.reasons.values() if reason == "headers")
    changed = len(plan.upload) - new - headers
    shown = os.path.relpath(site_dir)
    shown = str(site_dir) if shown.startswith("..") else shown
    out.print(say(f"发布 {shown} → {plan.remote}", f"publishing {shown} → {plan.remote}"), style="bold")
    parts_zh = [f"新文件 {new} 个", f"有改动 {changed} 个"] + ([f"仅响应头不同 {headers} 个"] if headers else [])
    parts_en = [f"{new} new", f"{changed} changed"] + ([f"{headers} with other headers only"] if headers else [])
    out.print(say(f"  上传 {len(plan.upload)} 个文件（{human_size(plan.upload_bytes)}）：{'，'.join(parts_zh)}",
                  f"  upload {len(plan.upload)} files ({human_size(plan.upload_bytes)}): {', '.join(parts_en)}"))
    out.print(say(f"  未变 {len(plan.unchanged)} 个", f"  unchanged {len(plan.unchanged)}"))
    out.print(say(f"  删除 {len(plan.delete)} 个（远端有、这次生成的网站里没有）",
                  f"  delete {len(plan.delete)} (on the remote, not in this build)"))
    if plan.site.compressed_copies:
        out.print(say(f"  不上传 {len(plan.site.compressed_copies)} 个 .gz 预压缩文件（供 nginx 使用；对象存储的 CDN 自行压缩）",
                      f"  not uploaded: {len(plan.site.compressed_copies)} .gz pre-compressed copies (for nginx; the object store's CDN compresses)"))
    if listing:
        for number, batch in enumerate(plan.batches(), 1):
            out.print(say(f"将上传 [{batch.stage.value}/4 {batch.stage.label.zh}] {batch.content_type} · {batch.cache_control}：{len(batch.files)} 个",
                          f"would upload [{batch.stage.value}/4 {batch.stage.label.en}] {batch.content_type} · {batch.cache_control}: {len(batch.files)}"))
            for item in batch.files:
                out.print(f"  + {item.path}")
    shown = plan.delete if listing else plan.delete[:SHOWN_DELETIONS]
    if shown:
        out.print(say("将删除：", "would delete:"))
        for item in shown:
            out.print(f"  - {item.path}")
        if len(plan.delete) > len(shown):
            more = len(plan.delete) - len(shown)
            out.print(say(f"  ……另有 {more} 个（--dry-run 列出全部）", f"  … and {more} more (--dry-run lists them all)"))
