"""The site's header rules as nginx directives: `<site>/.deploy/nginx.conf`, included inside the
`server {}` of the shipped `deploy/nginx.conf`.

nginx gives a location that sets any header none of the server's: every location here repeats the
security headers beside its own Cache-Control, and `always` puts them on 404s and redirects too.
"""

from __future__ import annotations

from .headers import CACHE_RULES, IMMUTABLE, REVALIDATE, SiteHeaders

# Extensions nginx's mime.types does not know (it knows wasm, js, css, json, webp, svg, mp4…).
EXTRA_TYPES = {
    "application/geo+json": ["geojson"],
    "application/octet-stream": ["pagefind", "pf_fragment", "pf_index", "pf_filter", "pf_meta"],
}


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_snippet(headers: SiteHeaders) -> str:
    immutable = "|".join(f"(?:{rule.pattern})" for rule in CACHE_RULES if rule.cache_control == IMMUTABLE)
    base = headers.base_path
    security = [f"    add_header {name} {_quoted(value)} always;" for name, value in headers.security.items()]

    def location(selector: str, cache_control: str, extra: list[str] = ()) -> list[str]:
        return [f"location {selector} {{", *security, f"    add_header Cache-Control {_quoted(cache_control)} always;", *extra, "}"]

    not_found_zh = base + headers.not_found.get("zh", "404.html")
    not_found_en = base + headers.not_found.get("en", headers.not_found.get("zh", "404.html"))
    lines = [
        "# Written by every build (generator/publish/nginx.py) from headers.json beside it: do not edit,",
        "# rebuild. Included inside the server {} of deploy/nginx.conf; reload nginx after a deploy",
        "# (nginx -t && nginx -s reload) so that a changed Content-Security-Policy takes effect.",
        "# a types {} block here replaces the server's inherited types: nginx's own list first, then ours",
        "include mime.types;",
        "types {",
        *[f"    {kind} {' '.join(extensions)};" for kind, extensions in EXTRA_TYPES.items()],
        "}",
        "charset utf-8;",
        "charset_types text/css text/plain text/xml text/javascript application/javascript application/json application/geo+json application/xml text/csv;",
        "",
        "# A miss under the English half gets the English 404 page, any other the Chinese one.",
        f"set $showcase_not_found {_quoted(not_found_zh)};",
        f"if ($uri ~ {_quoted('^' + base + 'en/')}) {{",
        f"    set $showcase_not_found {_quoted(not_found_en)};",
        "}",
        "error_page 404 $showcase_not_found;",
        "",
        "# the build's own files (this one included) and any other hidden file: never served",
        "location ~ /\\. {",
        *security,
        "    return 404;",
        "}",
        "",
        "# named by a hash of their content: the name changes whenever the file does",
        *location(f"~ {_quoted(immutable)}", IMMUTABLE),
        "",
        "# pages, the sitemap, the search entry files, downloads: asked again on every visit",
        *location("/", REVALIDATE),
        "",
    ]
    return "\n".join(lines)
