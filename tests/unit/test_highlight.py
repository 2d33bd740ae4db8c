"""Facts drawn on text: every mark covers exactly its slice, and the elements nest."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from healthgov.api.highlight import Mark, highlight, placed


class Facts(HTMLParser):
    """The text of each data-fact (all its pieces), and whether every end tag closed its own start."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: dict[str, str] = {}
        self.stack: list[tuple[str, str | None]] = []
        self.balanced = True
        self.plain: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            return  # the task-number link: no text
        fact = dict(attrs).get("data-fact")
        self.stack.append((tag, fact))
        if fact:
            self.text.setdefault(fact, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.balanced = False
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.plain.append(data)
        for _, fact in self.stack:
            if fact:
                self.text[fact] += data


def _check(text: str, marks: list[Mark], offset: int = 0) -> None:
    page = Facts(str(highlight(text, marks, offset)))
    assert page.balanced and not page.stack
    assert "".join(page.plain) == text
    inside, _ = placed(marks, offset, offset + len(text))
    assert page.text == {m.fact: text[m.start - offset: m.end - offset] for m in inside}


def test_nested_and_crossing_spans() -> None:
    text = "（一）完善体系。(责任单位:市卫生健康委、市医保局) 到2025年，床位达到7张。<&>"
    marks = [Mark("task", 0, 40, 0, "task", "t", tag="span", anchor="task-t1", link=("/tasks/p/t1", "t1", "1")),
             Mark("lead", 15, 21, 1, "unit lead", "lead"), Mark("support", 22, 26, 1, "unit support", "s"),
             Mark("target", 30, len(text) - 1, 2, "target", "x"), Mark("same", 15, 21, 2, "target", "y"),
             Mark("empty", 5, 5, 1, "unit", "e"), Mark("outside", 40, 400, 1, "unit", "o")]
    _check(text, marks)
    html = str(highlight(text, marks))
    assert 'id="task-t1"' in html and html.count('id="task-t1"') == 1 and "&lt;&amp;" in html
    assert {m.fact for m in placed(marks, 0, len(text))[1]} == {"empty", "outside"}


def test_excerpt_offset() -> None:
    doc = "第一行\n第二行 市医保局 负责\n第三行"
    _check(doc[4:], [Mark("u", 8, 12, 1, "unit lead", "u"), Mark("t", 4, 15, 0, "task", "t", tag="span")], offset=4)


@given(st.text(alphabet="ab市局\n<", min_size=1, max_size=40),
       st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 2)), max_size=8))
def test_any_spans(text: str, spans: list[tuple[int, int, int]]) -> None:
    marks = [Mark(f"m{i}", min(a, b), max(a, b), r, "x", "t") for i, (a, b, r) in enumerate(spans)]
    _check(text, marks)
