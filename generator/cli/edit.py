"""`showcase edit`: the web editor (Decap CMS, in Chinese) beside the live preview; and
`showcase edit-admin DIR`: the editor's page for an office that shares one repository on its own
Gitea or Forgejo server (editor/README.md, "For an office").

The work is in generator/editor/ (server.py, admin.py, config.py); this is the commands' wording."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import click

from .common import open_project, project_options
from .i18n import Say


def commands(say: Say) -> list[click.Command]:
    @click.command("edit", help=say(
        "在浏览器里用表单新建和修改条目（中文界面，不需要懂 YAML）：启动编辑器和实时预览，"
        "编辑器在 http://127.0.0.1:8000/admin/。保存的文件和手写的一样（保留注释和顺序），"
        "照片放进条目自己的文件夹。第一次运行会安装编辑器（需要 Node.js）。按 Ctrl+C 停止。",
        "Add and correct entries in a form in the browser (a Chinese interface; no YAML): starts the "
        "editor and the live preview, the editor at http://127.0.0.1:8000/admin/. Saved files look "
        "like hand-written ones (comments and order kept); photos go into the entry's own folder. "
        "The first run installs the editor (needs Node.js). Ctrl+C stops it."),
        short_help=say("在浏览器中编辑内容", "Edit content in the browser"))
    @click.option("-a", "--address", default="127.0.0.1:8000", show_default=True,
                  help=say("编辑器和预览的地址", "address of the editor and the preview"))
    @click.option("--open", "open_browser", is_flag=True, help=say("启动后打开浏览器", "open a browser"))
    @click.option("--git", "git_mode", is_flag=True, help=say(
        "每次保存都提交到本机的 git 仓库（decap-server 的 git 模式）", "commit every save to the local git repository (decap-server's git mode)"))
    @project_options(say)
    def edit(address: str, open_browser: bool, git_mode: bool, config_file, content_dir) -> int:
        from ..editor.admin import EditorNotInstalled
        from ..editor.server import EditorError, run

        project = open_project(say, config_file, content_dir)
        try:
            return run(project, address, open_browser, mode="git" if git_mode else "fs",
                       say=lambda message: click.echo(message, err=True))
        except (EditorError, EditorNotInstalled) as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            if "Address already in use" in str(exc) or getattr(exc, "errno", None) == 98:
                raise click.ClickException(say(f"{address} 已被占用（也许预览或编辑器已在运行）：换一个地址，例如 --address 127.0.0.1:8010",
                                               f"{address} is in use (a preview or the editor may be running already): "
                                               "use another, e.g. --address 127.0.0.1:8010")) from None
            raise

    @click.command("edit-admin", help=say(
        "为单位共用的编辑器写出 /admin/ 页面（编辑器和它的设置）到 DIR：大家登录单位自己的 Gitea 或 Forgejo 服务器，"
        "修改同一个仓库。DIR 放在网站旁边由单位的服务器提供（例如 https://网站地址/admin/），不要放进 site/"
        "（每次生成网站都会清空它）。先在 Gitea/Forgejo 上建好 OAuth2 应用（不勾选“机密客户端”，重定向 URI 填这个页面的地址），"
        "把客户端 ID 给 --app-id。--workflow 打开编辑流程（草稿 → 待审核 → 待发布），只有 Forgejo 后端支持（--forge forgejo）。"
        "详见 editor/README.md。",
        "Write the editor's page /admin/ (the editor and its settings) into DIR for an office that shares one "
        "repository on its own Gitea or Forgejo server: everyone logs in there and edits the same repository. "
        "Serve DIR next to the site from the office's server (e.g. https://site-address/admin/), not inside site/ "
        "(every build empties it). First create an OAuth2 application on Gitea/Forgejo (not confidential; redirect URI "
        "= this page's address) and give its client ID to --app-id. --workflow turns on the editorial workflow "
        "(draft → in review → ready), which only the Forgejo backend supports (--forge forgejo). See editor/README.md."),
        short_help=say("写出单位共用的编辑器页面（Gitea/Forgejo）", "Write the office's editor page (Gitea/Forgejo)"))
    @click.argument("dest", metavar="DIR", type=click.Path(path_type=Path))
    @click.option("--gitea-url", required=True, metavar="URL", help=say(
        "Gitea/Forgejo 服务器的地址，例如 https://git.example.gov.cn", "the Gitea/Forgejo server's address, e.g. https://git.example.gov.cn"))
    @click.option("--repo", required=True, metavar="OWNER/NAME", help=say(
        "网站内容所在的仓库，例如 xuanchuan/showcase", "the repository holding the site's content, e.g. publicity/showcase"))
    @click.option("--app-id", required=True, metavar="ID", help=say(
        "OAuth2 应用的客户端 ID（Client ID）", "the OAuth2 application's client ID"))
    @click.option("--branch", default="main", show_default=True, help=say(
        "网站从哪个分支生成（保存或发布的修改进入这个分支）", "the branch the site is built from (saved or published changes go there)"))
    @click.option("--forge", type=click.Choice(["gitea", "forgejo"]), default="gitea", show_default=True, help=say(
        "服务器软件：gitea（Gitea 1.20 起，或 Forgejo）或 forgejo（Forgejo 专用后端，支持编辑流程）",
        "the server's software: gitea (Gitea 1.20 or newer, or Forgejo) or forgejo (the Forgejo-only backend, with the editorial workflow)"))
    @click.option("--workflow/--no-workflow", default=False, show_default=True, help=say(
        "编辑流程：保存只存为草稿（单独的分支和合并请求），审核后才发布到 --branch；需要 --forge forgejo",
        "the editorial workflow: a save is a draft (its own branch and pull request), published to --branch only after "
        "review; needs --forge forgejo"))
    @click.option("--site-url", metavar="URL", help=say(
        "已发布网站的地址，编辑器里“查看网站”链接到它（默认取 mkdocs.yml 的 site_url）",
        "the published site's address, linked from the editor (default: site_url of mkdocs.yml)"))
    @project_options(say)
    def edit_admin(dest: Path, gitea_url: str, repo: str, app_id: str, branch: str, forge: str, workflow: bool,
                   site_url: str | None, config_file, content_dir) -> int:
        from ..editor.admin import EditorNotInstalled, admin_files
        from ..editor.config import gitea_backend

        if workflow and forge != "forgejo":
            # decap-cms-backend-gitea 3.5.3 (in decap-cms 3.16.3) throws "The Gitea backend does not support
            # editorial workflow." when it starts: the editor would never open
            raise click.UsageError(say(
                "Decap CMS 的 Gitea 后端不支持编辑流程（草稿 → 审核 → 发布），用这个设置编辑器打不开。"
                "二选一：去掉 --workflow（每次保存直接提交到分支，审核可用 Gitea 的分支和合并请求，见 editor/README.md），"
                "或者服务器是 Forgejo 时加 --forge forgejo。",
                "Decap CMS's Gitea backend does not support the editorial workflow (draft → review → publish): the editor "
                "would not open with this setting. Either leave out --workflow (every save is committed to the branch; "
                "review with Gitea's branches and pull requests, see editor/README.md) or, if the server is Forgejo, "
                "add --forge forgejo."))
        project = open_project(say, config_file, content_dir)
        base = _server_url(say, gitea_url, "--gitea-url")
        if not REPO.match(repo) or repo.endswith(".git"):
            raise click.BadParameter(say(f"“{repo}”不是 所有者/仓库名 的形式，例如 xuanchuan/showcase（不带 https:// 和 .git）",
                                         f"“{repo}” is not of the form owner/name, e.g. publicity/showcase (no https:// and no .git)"),
                                     param_hint="--repo")
        if not app_id.strip() or any(c.isspace() for c in app_id.strip()):
            raise click.BadParameter(say("客户端 ID 不能为空，也不能含空格：从 OAuth2 应用的页面复制",
                                         "the client ID may not be empty or hold spaces: copy it from the OAuth2 application's page"),
                                     param_hint="--app-id")
        if not branch.strip() or any(c.isspace() or c in "~^:?*[\\" for c in branch) or ".." in branch:
            raise click.BadParameter(say(f"“{branch}”不是有效的分支名，例如 main", f"“{branch}” is not a valid branch name, e.g. main"),
                                     param_hint="--branch")
        site = _server_url(say, site_url, "--site-url", keep_path=True) if site_url else (project.site_url or None)
        _check_dest(say, dest, project)

        backend = gitea_backend(repo, base, app_id.strip(), branch)
        if forge == "forgejo":
            # decap-cms-backend-forgejo: the same repo/branch/api_root/app_id (base_url is taken from api_root)
            backend = {**backend, "name": "forgejo"}
        root = project.root.resolve()
        content = project.content_dir.resolve()
        folder = content.relative_to(root).as_posix() if content.is_relative_to(root) else content.name
        try:
            admin_files(dest, local_backend=None, backend=backend,
                        publish_mode="editorial_workflow" if workflow else "simple", site_url=site, content_dir=folder)
        except EditorNotInstalled as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            raise click.ClickException(say(f"无法写入 {dest}：{exc.strerror or exc}", f"cannot write {dest}: {exc.strerror or exc}")) from None

        click.echo(say(f"已写出编辑器页面：{dest}/（index.html、config.yml 和编辑器程序文件）",
                       f"wrote the editor's page: {dest}/ (index.html, config.yml and the editor's files)"))
        click.echo(say("接下来：\n"
                       "  1. 由单位的服务器以 HTTPS 提供这个文件夹，例如 https://网站地址/admin/（登录需要 HTTPS）；\n"
                       "  2. OAuth2 应用的重定向 URI 必须与这个页面的地址完全一致（包括末尾的 /）；\n"
                       f"  3. {base} 的 app.ini 中 [cors] ENABLED = true，ALLOW_DOMAIN 写这个页面所在的网址。",
                       "Next:\n"
                       "  1. serve this folder over HTTPS from the office's server, e.g. https://site-address/admin/ (logging in needs HTTPS);\n"
                       "  2. the OAuth2 application's redirect URI must be exactly this page's address (with the final /);\n"
                       f"  3. in {base}'s app.ini, [cors] ENABLED = true and ALLOW_DOMAIN = this page's origin."))
        return 0

    return [edit, edit_admin]


REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def _server_url(say: Say, url: str, option: str, keep_path: bool = False) -> str:
    """An http(s) address with a host; the Gitea server's without a trailing / or /api/v1."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment
            or parts.username or parts.password or any(c.isspace() for c in text)):
        raise click.BadParameter(say(f"“{url}”不是网址：请写完整的地址，例如 https://git.example.gov.cn（不带用户名、密码、? 和 #）",
                                     f"“{url}” is not a web address: give the whole address, e.g. https://git.example.gov.cn "
                                     "(no user name, password, ? or #)"), param_hint=option)
    if keep_path:
        return text if text.endswith("/") else text + "/"
    text = text.rstrip("/")
    return text[: -len("/api/v1")] if text.endswith("/api/v1") else text


def _check_dest(say: Say, dest: Path, project) -> None:
    """DIR is a folder of its own: not the project, the content or a site's home (index.html)."""
    target = dest.resolve()
    for folder in (project.root.resolve(), project.content_dir.resolve()):
        if target == folder or target in folder.parents or (folder == project.content_dir.resolve() and folder in target.parents):
            raise click.BadParameter(say(f"{dest} 是项目或内容文件夹（或包含它们）：请给一个单独的文件夹，例如 /srv/showcase/admin",
                                         f"{dest} is (or holds) the project or the content folder: give a folder of its own, "
                                         "e.g. /srv/showcase/admin"), param_hint="DIR")
    if target.exists() and not target.is_dir():
        raise click.BadParameter(say(f"{dest} 是文件，不是文件夹", f"{dest} is a file, not a folder"), param_hint="DIR")
    index = target / "index.html"
    if index.is_file() and 'rel="cms-config-url"' not in index.read_text(encoding="utf-8", errors="replace"):
        raise click.BadParameter(say(f"{dest} 里已有别的 index.html（也许是网站本身）：编辑器页面要放在单独的文件夹里，例如 {dest / 'admin'}",
                                     f"{dest} already holds another index.html (the site itself?): the editor's page needs a "
                                     f"folder of its own, e.g. {dest / 'admin'}"), param_hint="DIR")
