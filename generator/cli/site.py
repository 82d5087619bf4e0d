"""`showcase serve` / `showcase build`: MkDocs under the same roof, for people who will not remember
two tools. They run `mkdocs` on the project's mkdocs.yml with the content folder the CLI uses."""

from __future__ import annotations

import signal
import subprocess
import sys

import click

from .common import open_project, project_options
from .i18n import Say


def _mkdocs(project, args: list[str]) -> int:
    from .project import environment_for

    command = [sys.executable, "-m", "mkdocs", *args, "-f", str(project.config_file)]
    child = subprocess.Popen(command, env=environment_for(project), cwd=project.root)

    # Stopping this command stops MkDocs too: a terminal's Ctrl+C reaches both, but a service
    # manager, an editor or a test stops only us and would leave `mkdocs serve` holding the port.
    def stop(_signum, _frame):
        child.terminate()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    interrupted = False
    try:
        while True:
            try:
                code = child.wait()
                return 0 if interrupted else code
            except KeyboardInterrupt:  # MkDocs got the Ctrl+C as well: let it finish
                interrupted = True
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.kill()
            child.wait()


def commands(say: Say) -> list[click.Command]:
    @click.command("serve", help=say(
        "在本机预览网站：保存 YAML 文件后几秒内浏览器自动刷新；内容有误时终端和页面顶部会显示错误，页面保留上次正确的版本。按 Ctrl+C 停止。",
        "Preview the site locally: the browser reloads a few seconds after you save a YAML file; a mistake is "
        "shown in the terminal and in a banner on the page, which keeps the last good version. Ctrl+C stops it."),
        short_help=say("本机预览网站", "Preview the site locally"))
    @click.option("-a", "--address", default="127.0.0.1:8000", show_default=True,
                  help=say("预览地址", "address to serve on"))
    @click.option("--open", "open_browser", is_flag=True, help=say("启动后打开浏览器", "open a browser"))
    @project_options(say)
    def serve(address: str, open_browser: bool, config_file, content_dir) -> int:
        project = open_project(say, config_file, content_dir)
        click.echo(say(f"预览地址：http://{address}/ （英文版在 /en/）", f"Preview at http://{address}/ (English at /en/)"), err=True)
        return _mkdocs(project, ["serve", "-a", address, *(["--open"] if open_browser else [])])

    @click.command("build", help=say(
        "生成网站到 site/ 文件夹。内容有误时不生成，并保留上次生成的网站。",
        "Build the site into site/. Content with errors stops the build and the last built site stays as it was."),
        short_help=say("生成网站", "Build the site"))
    @click.option("-d", "--site-dir", help=say("输出文件夹（默认 site/）", "output folder (default: site/)"))
    @click.option("--strict", is_flag=True, help=say("有警告也算失败", "treat warnings as errors"))
    @project_options(say)
    def build(site_dir: str | None, strict: bool, config_file, content_dir) -> int:
        project = open_project(say, config_file, content_dir)
        args = ["build", *(["-d", site_dir] if site_dir else []), *(["--strict"] if strict else [])]
        return 1 if _mkdocs(project, args) else 0

    return [serve, build]
