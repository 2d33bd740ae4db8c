"""Render a ``View`` to one self-contained HTML page (vis-network inlined, no network access).

pyvis's own template always reaches a CDN (bootstrap, even with ``cdn_resources="in_line"``),
which fails offline and behind many institutional firewalls, so healthgov ships its template
and the vis-network 9.1.2 bundle taken from pyvis's package (see static/LICENSE-vis-network.txt).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from healthgov.visualize.model import View, merge_legend


@lru_cache(maxsize=1)
def _env() -> Environment:
    # Autoescape: titles, notes and parameters come from documents and from the URL.
    return Environment(loader=PackageLoader("healthgov.visualize", "templates"),
                       autoescape=select_autoescape(["html", "j2"]))  # fmt: skip


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    static = resources.files("healthgov.visualize") / "static"
    js = (static / "vis-network.min.js").read_text(encoding="utf-8")
    css = (static / "vis-network.min.css").read_text(encoding="utf-8")
    # Inlined verbatim: a closing tag inside would end the element early and break the page.
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("vis-network assets contain a closing tag and cannot be inlined")
    return js, css


def view_data(view: View) -> dict[str, Any]:
    """The JSON the page hands to vis-network."""
    return {
        "name": view.name,
        "nodes": [n.to_vis() for n in view.nodes],
        "edges": [e.to_vis() for e in view.edges],
        "hierarchical": view.hierarchical,
        "layout": view.layout,
        "still": view.still,
        "physics": view.physics,
    }


def render_view(view: View, *, served: bool = False) -> str:
    """HTML of a view. ``served`` adds the filter form and links that need the API behind them."""
    view.check()
    view.legend = merge_legend(view.legend)
    js, css = _assets()
    return _env().get_template("view.html.j2").render(
        view=view, data=view_data(view), vis_js=js, vis_css=css, served=served
    )


def render_index(views: list[dict[str, Any]], endpoints: list[dict[str, str]],
                 queries: list[dict[str, Any]] | None = None, compare: bool = False) -> str:
    """The API's home page: the comparison pages (``compare``), the query pages, the views (with
    example links), the query endpoints and /docs."""
    return _env().get_template("index.html.j2").render(views=views, endpoints=endpoints, queries=queries or [],
                                                       compare=compare)
