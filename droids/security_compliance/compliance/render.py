"""The compliance report's two faces: Markdown and one self-contained HTML page.

Both render the same `Document` (sections of paragraphs and tables), so they always say the same
thing. The HTML page has inline CSS, no script and no external file, and every value goes through
`html.escape`; in Markdown, table cells have `|`, `<`, `>` and line breaks escaped, so a value from a
finding, an approval or a trading-core event can neither break a table nor inject markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

STATUS_WORDS = {"ok": "OK", "attention": "ATTENTION", "none": "NO DATA"}

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;
color:#1f2328;padding:0 1rem}h1{font-size:1.5rem;margin:0 0 .25rem}
h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f6f8fa}.meta{color:#57606a}
.status{display:inline-block;padding:.05rem .5rem;border-radius:.3rem;color:#fff;font-size:80%;font-weight:700}
.ok{background:#1a7f37}.attention{background:#cf222e}.none{background:#57606a}
"""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]


@dataclass
class Section:
    title: str
    status: str | None = None  # "ok" | "attention" | "none": a badge next to the title
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Document:
    title: str
    meta: list[str]
    sections: list[Section]


def _md_cell(text: str) -> str:
    text = " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("<", "&lt;").replace(">", "&gt;") or "-"


def _md_line(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def to_markdown(doc: Document) -> str:
    out = [f"# {_md_line(doc.title)}", "", *(f"- {_md_line(m)}" for m in doc.meta)]
    for section in doc.sections:
        badge = f" ({STATUS_WORDS[section.status]})" if section.status else ""
        out += ["", f"## {_md_line(section.title)}{badge}", ""]
        for line in section.lines:
            out += [_md_line(line), ""]
        for table in section.tables:
            out.append("| " + " | ".join(_md_cell(h) for h in table.headers) + " |")
            out.append("|" + "---|" * len(table.headers))
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
            out.append("")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip() + "\n"


def to_html(doc: Document) -> str:
    body = [f"<h1>{escape(doc.title)}</h1>", *(f"<div class=meta>{escape(m)}</div>" for m in doc.meta)]
    for section in doc.sections:
        badge = ""
        if section.status:
            badge = f" <span class='status {section.status}'>{STATUS_WORDS[section.status]}</span>"
        body.append(f"<h2>{escape(section.title)}{badge}</h2>")
        body += [f"<p>{escape(line)}</p>" for line in section.lines]
        for table in section.tables:
            head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
            rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(doc.title)}</title><style>{CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
