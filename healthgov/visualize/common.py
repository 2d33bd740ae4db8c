"""Pieces shared by the view builders: tooltips of tasks and agencies, parameter parsing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from healthgov.visualize import labels
from healthgov.visualize.model import DEFAULT_MAX_NODES, Tip, clip


class ViewError(ValueError):
    """A bad view name or parameter: reported to the user, not a crash. ``param`` names the
    form field at fault, when there is one (the page shows the message next to it)."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


def max_nodes(params: Mapping[str, str], default: int = DEFAULT_MAX_NODES) -> int:
    raw = params.get("max_nodes", str(default))
    try:
        n = int(raw)
    except ValueError:
        raise ViewError(f"max_nodes must be a whole number, not {raw!r}", "max_nodes") from None
    if n < 10:
        raise ViewError("max_nodes must be at least 10", "max_nodes")
    return n


def positive_int(params: Mapping[str, str], key: str, default: int) -> int:
    raw = params.get(key, str(default))
    try:
        n = int(raw)
    except ValueError:
        raise ViewError(f"{key} must be a whole number, not {raw!r}", key) from None
    if n < 1:
        raise ViewError(f"{key} must be at least 1", key)
    return n


def document(row: Mapping[str, Any]) -> str:
    title = row.get("policy_title") or "?"
    number = row.get("doc_number")
    return f"《{title}》" + (f" {number}" if number else "")


def task_tip(row: Mapping[str, Any]) -> Tip:
    """Tooltip of a task: what a researcher needs to go back to the document."""
    topics = [labels.concept("topic", t) for t in row.get("topics") or []]
    number = row.get("number") or ""
    tip: Tip = [
        ("任务", f"{number} {row.get('title') or ''}".strip()),
        ("English", f"Task {number or '?'}" + (f" · topics: {', '.join(en for _, en in topics)}" if topics else "")),
    ]
    if topics:
        tip.append(("主题 topic", "、".join(zh for zh, _ in topics)))
    tip.append(("原文 source text", clip(row.get("text"))))
    tip.append(("文件 document", document(row)))
    if row.get("jurisdiction"):
        tip.append(("辖区 jurisdiction", row["jurisdiction"]))
    where = row.get("source_path") or ""
    if row.get("span_start") is not None and row.get("span_end") is not None:
        where += f" [{row['span_start']}, {row['span_end']})"
    if where:
        tip.append(("来源 source", where))
    return tip


def agency_tip(row: Mapping[str, Any], extra: Tip | None = None) -> Tip:
    type_zh, type_en = labels.concept("agency-type", row.get("agency_type"))
    level = row.get("level")
    english = type_en + (f" ({level} level)" if level else "")
    tip: Tip = [("机构", row.get("name") or "?"), ("English", english), ("机构类型 agency type", f"{type_zh} / {type_en}")]
    if row.get("jurisdiction"):
        tip.append(("辖区 jurisdiction", row["jurisdiction"]))
    return tip + (extra or [])


def concept_tip(scheme: str, concept_id: str | None, heading: str, extra: Tip | None = None) -> Tip:
    zh, en = labels.concept(scheme, concept_id)
    return [(heading, zh), ("English", en), *(extra or [])]


def filter_topic(tasks: list[dict[str, Any]], params: Mapping[str, str], notes: list[str]) -> list[dict[str, Any]]:
    """Keep the tasks tagged with ``params['topic']`` (if given), saying how many were set aside."""
    topic = params.get("topic")
    if not topic:
        return tasks
    kept = [t for t in tasks if topic in (t.get("topics") or [])]
    zh, en = labels.concept("topic", topic)
    notes.append(f"Only tasks on topic {zh} ({en}) are shown: {len(tasks) - len(kept)} other task(s) left out.")
    return kept
