"""The built-in engine: a Quarto website project rendered where Quarto cannot be installed.

It reads what Quarto reads (``_quarto.yml``, the ``_extensions/pmf`` formats and their Lua
filters, each notebook's front matter and ``#|`` cell options), turns every executed notebook
into pandoc markdown the way Quarto does, converts it with pandoc and lays the page out with a
Jinja2 template: council header band, navigation, search, footer. Only what this report's
projects use is implemented; anything else in ``_quarto.yml`` is ignored."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from pmf_utils.pandoc import PACKAGE, TEMPLATES, Conversion, convert
from pmf_utils.publish.documents import SOURCE_SUFFIXES, Document, Format, Project, read_document
from pmf_utils.publish.reuse import Earlier, keep

STATIC = PACKAGE / "static"


ASSETS = "site_libs/pmf"


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)


"""Every page's Content-Security-Policy: only the site's own scripts, styles and images, so
even text that escaped escaping could not run (defence in depth; no page has inline script)."""


_LOCAL_REF = re.compile(r'\s(?:src|href)="([^"#?:]+)[^"]*"')


@dataclass(frozen=True)
class Page:
    """A rendered page, before it is laid out."""

    source: Path
    href: str
    title: str
    subtitle: str
    toc: str
    body: str


@cache
def _jinja() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(("html", "j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def output_name(source: str) -> str:
    """The page a source file becomes (``kpi-x.ipynb`` → ``kpi-x.html``)."""
    stem, dot, suffix = source.rpartition(".")
    return f"{stem}.html" if dot and f".{suffix}" in SOURCE_SUFFIXES else source


def render_website(root: Path, earlier: Earlier | None = None) -> Path:
    """Render a Quarto website project's pages into its output folder; return that folder.
    A page that differs from the one published (``earlier``) only by its stamp keeps it."""
    earlier = earlier or Earlier()
    project = Project.load(root)
    out = project.output_dir
    out.mkdir(parents=True, exist_ok=True)
    execute = project.config.get("execute", {})
    documents = [read_document(p, "html", out, execute) for p in project.documents()]
    formats = [project.html_format(d.meta) for d in documents]
    site = project.website
    snippets = {"footer": _footer_text(site.get("page-footer")), "notice": _notice_text(site)}
    conversions = [_page_conversion(d, f) for d, f in zip(documents, formats, strict=True)]
    conversions += [Conversion(root / "_quarto.yml", text, "html5") for text in snippets.values()]
    # Titles, menu words and the site's title are pandoc markdown, as Quarto reads them.
    words = {
        str(text)
        for fmt in formats
        for text in (fmt.options.get("title", ""), fmt.options.get("subtitle", ""))
    }
    words |= {str(site.get("title", "")), *_navigation_words(site.get("navbar", {}))}
    words_list = sorted(words)
    conversions += [Conversion(root / "_quarto.yml", text, "html5") for text in words_list]
    outputs = convert(conversions, earlier.cache)
    inline = {
        text: _unwrap(html_text)
        for text, html_text in zip(words_list, outputs[-len(words_list) :], strict=True)
    }
    pages = [
        _page(project, document, fmt.options, output, inline)
        for document, fmt, output in zip(documents, formats, outputs[: len(documents)], strict=True)
    ]
    first = len(documents)
    shared = outputs[first : first + len(snippets)]
    layout = _layout(project, dict(zip(snippets, shared, strict=True)))
    layout["site_title"] = inline[str(site.get("title", ""))]
    # The format's own stylesheets (as Quarto links them), after the engine's site.css.
    # site.css is the engine's own, linked first already (Quarto needs it named here).
    styles = [p for p in project.html_format({}).paths("css") if p.name != "site.css"]
    layout["styles"] = [path.name for path in styles]
    if layout["search"]:
        pages.append(_search_page(project, pages))
    template = _jinja().get_template("page.html.j2")
    for page in pages:
        nav = _navigation(site, page.href, inline)
        html_text = template.render(page=page, nav=nav, **layout)
        earlier.write_page(out / page.href, page.href, html_text)
    _copy_resources(project, pages)
    for path in styles:
        shutil.copy2(path, out / ASSETS / path.name)
    return out


def _footer_text(footer: Any) -> str:
    if isinstance(footer, Mapping):
        return "\n\n".join(str(footer[k]) for k in ("left", "center", "right") if footer.get(k))
    return str(footer or "")


def _notice_text(site: Mapping[str, Any]) -> str:
    announcement = site.get("announcement") or {}
    return str(announcement.get("content", "")) if isinstance(announcement, Mapping) else ""


def _page_conversion(document: Document, fmt: Format) -> Conversion:
    options = fmt.options
    return Conversion(
        source=document.path,
        markdown=document.markdown,
        to="html5",
        filters=tuple(str(path) for path in fmt.paths("filters")),
        template=str(TEMPLATES / "fragment.html"),
        toc_depth=int(options.get("toc-depth", 3)) if options.get("toc") else 0,
        shift=int(options.get("shift-heading-level-by", 0)),
    )


def _unwrap(fragment: str) -> str:
    """A one-paragraph HTML fragment without its ``<p>``: inline HTML for a title or menu."""
    fragment = fragment.strip()
    if fragment.startswith("<p>") and fragment.endswith("</p>"):
        return fragment[3:-4]
    return fragment


def _navigation_words(navbar: Mapping[str, Any]) -> Iterator[str]:
    for entry in [*navbar.get("left", []), *navbar.get("right", [])]:
        yield str(entry.get("text", ""))
        yield from _navigation_words({"left": entry.get("menu", [])})


def _page(
    project: Project,
    document: Document,
    options: Mapping[str, Any],
    output: str,
    inline: Mapping[str, str],
) -> Page:
    """A converted page; its title and subtitle as HTML, converted from markdown."""
    toc, _, body = output.partition("<!-- pmf:body -->")
    return Page(
        source=document.path,
        href=output_name(document.path.relative_to(project.root).as_posix()),
        title=inline[str(options.get("title", ""))] or html.escape(document.path.stem),
        subtitle=inline[str(options.get("subtitle", ""))],
        toc=toc.strip() if toc.count("<li") > 1 else "",
        body=body.strip(),
    )


def _layout(project: Project, snippets: Mapping[str, str]) -> dict[str, Any]:
    """What every page of the project shares: header band, notice, footer, search."""
    site = project.website
    pmf = project.metadata.get("pmf", {})
    return {
        "lang": project.metadata.get("lang", "en-GB"),
        "site_title": site.get("title", ""),
        "council": pmf.get("council") or site.get("title", ""),
        "plan": pmf.get("plan", ""),
        "search": site.get("search", True) is not False,
        "assets": ASSETS,
        "csp": CSP,
        **snippets,
    }


def _navigation(
    site: Mapping[str, Any], current: str, inline: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The navbar's items (their words as HTML) with page hrefs resolved and the current page
    marked."""

    def item(entry: Mapping[str, Any]) -> dict[str, Any]:
        children = [item(child) for child in entry.get("menu", [])]
        href = output_name(str(entry.get("href", "")))
        return {
            "text": inline[str(entry.get("text", ""))] or html.escape(href),
            "href": href,
            "current": href == current,
            "children": children,
        }

    navbar = site.get("navbar", {})
    return [item(e) for e in [*navbar.get("left", []), *navbar.get("right", [])]]


def _search_page(project: Project, pages: Sequence[Page]) -> Page:
    """Site search without a server or network: a script holding every page's text."""
    entries = [
        {"href": p.href, "title": _searchable(p.title), "text": _searchable(p.body)[:20000]}
        for p in pages
    ]
    index = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    assets = project.output_dir / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "search-index.js").write_text(f"window.pmfSearchIndex = {index};\n", "utf-8")
    body = _jinja().get_template("search.html.j2").render()
    return Page(project.root / "search.html", "search.html", "Search", "", "", body)


def _searchable(fragment: str) -> str:
    """A page's words for the index; curly apostrophes straightened, as the script does to
    what is typed, so "children's" finds "children’s"."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return text.translate(_APOSTROPHES)


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def _copy_resources(project: Project, pages: Sequence[Page]) -> None:
    """Copy the static assets, the files pages link to, and ``project.resources``."""
    out = project.output_dir
    shutil.copytree(STATIC, out / ASSETS, dirs_exist_ok=True)
    # Many pages link the same file: each link is resolved once (resolving costs a system
    # call per folder on the way).
    links = {(page.source.parent, ref) for page in pages for ref in _LOCAL_REF.findall(page.body)}
    wanted = {(folder / ref).resolve() for folder, ref in links}
    for pattern in project.config.get("project", {}).get("resources", []):
        wanted.update(p.resolve() for p in project.root.glob(pattern))
    root = project.root.resolve()
    for path in sorted(wanted):
        if path.is_file() and path.is_relative_to(root) and not path.is_relative_to(out.resolve()):
            target = out / path.relative_to(root)
            if path.suffix not in SOURCE_SUFFIXES and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                keep(path, target)  # the build's own file: linked, not copied
