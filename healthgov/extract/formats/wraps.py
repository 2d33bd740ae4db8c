"""Hard line wraps of a text layer saved as plain text → paragraphs.

A PDF's text layer copied into a .txt file (the common way policy texts reach a researcher)
breaks every paragraph at the right margin: "人力资源社会保障" at the end of one line and "部门"
at the start of the next, a "(X牵头，Y按职责分工负责)" note over two lines, a title over three.
The PDF reader rejoins such lines from glyph positions (``pdf._reflow``); a .txt file has no
positions left, only the line widths. This module finds the margin from them and rejoins a line
that reaches it with the next one, the same rule as the PDF reader's: a line running to the
margin continues unless the next one starts an item, a page or a blank.

Text that was never wrapped (web pages, DOCX: a paragraph per line, of any length) has no
margin: most of its lines are not of one width, and it is returned unchanged. This runs in
``read`` because every offset indexes the text it returns: spans, evidence pages and the
record's ``text`` all see the rejoined paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter

# Lines narrower than this are too short to tell a margin (titles, signatures, table cells).
_MIN_WIDTH = 20
# A wrapped text layer's margin: between these widths (in half-width columns).
_MARGIN_RANGE = (30, 110)
# Share of the lines of at least _MIN_WIDTH that reach the margin for a text to count as wrapped.
_MIN_SHARE = 0.25
_MIN_LINES = 6
# How far short of the margin a line may end and still have been wrapped: half-width digits and
# spaces, and the two-character indent a text layer drops from a paragraph's first line.
_SLACK = 6
_WS = " \t\u3000\xa0"
# The start of an item, a page or a signature: never the continuation of the line before.
_BREAK_BEFORE = re.compile(
    r"^[" + _WS + r"]*("
    r"第[一二三四五六七八九十百零〇\d]+[章节条部篇]|[一二三四五六七八九十百零〇两]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|"
    r"\d{1,2}[.．、](?!\d)|[①-⑳]|[—–\-－]\s*\d+\s*[—–\-－]|附件|抄送|\f|$|"
    # the letterhead's disclosure and urgency marks, alone on their line
    r"((依申请|主动|不予|免予)?公开|不公开|特\s*急|加\s*急|平\s*急)\s*$|"
    # a signature's date alone on its line
    r"(19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$)"
)
# A line that is one body's name and nothing else (no punctuation), ending like a body: a
# letterhead or a signature line standing alone, not the rest of a wrapped sentence (which ends
# in punctuation or goes on past the name).
_STANDALONE_NAME = re.compile(
    r"^[" + _WS + r"]*[^\s，。、；：,.;:！？!?（）()“”《》]{4,40}(委员会|委|局|厅|部|办|办公室|政府|中心|指挥部|小组|组)"
    r"([（(](代章|印章|章)[）)])?[" + _WS + r"]*$"
)
# A line ending a sentence or a list head ends its paragraph even at the margin.
_ENDS_PARAGRAPH = re.compile(r"[。！？!?：:；;）)]\s*$")  # an annotation "（…负责）" closes its item


# East Asian wide and full-width characters (the "W" and "F" of Unicode's East Asian Width): one
# regex over the line instead of a property lookup per character (reading runs on every file).
_WIDE = re.compile(r"[\u1100-\u115f\u2329\u232a\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   r"\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


def width(s: str) -> int:
    """Display width in half-width columns (CJK and full-width forms count two)."""
    return len(s) + len(_WIDE.findall(s))


def margin(lines: list[str]) -> int | None:
    """The right margin of a wrapped text (its most common line width), or None when the text
    was not wrapped."""
    widths = [width(ln.rstrip(_WS)) for ln in lines]
    long = [w for w in widths if w >= _MIN_WIDTH]
    if len(long) < _MIN_LINES:
        return None
    # The margin is the widest common width: lines with half-width digits end a column or two
    # short of it, never beyond it by more than a punctuation mark.
    common = Counter(long).most_common(3)
    m = max(w for w, _n in common)
    if not _MARGIN_RANGE[0] <= m <= _MARGIN_RANGE[1]:
        return None
    near = sum(1 for w in long if m - _SLACK <= w <= m + 4)
    return m if near >= _MIN_LINES and near / len(long) >= _MIN_SHARE else None


def unwrap(text: str) -> str:
    """``text`` with the hard wraps of a text layer rejoined (unchanged when it has none)."""
    lines = text.split("\n")
    m = margin(lines)
    if m is None:
        return text
    out: list[str] = []
    for i, ln in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        body = ln.rstrip(_WS)
        if nxt is not None and _continues(body, nxt, m):
            out.append(body + (" " if _ascii_word(body[-1:], nxt.lstrip(_WS)[:1]) else ""))
            lines[i + 1] = nxt.lstrip(_WS)
        else:
            out.append(ln + ("\n" if nxt is not None else ""))
    return "".join(out)


def _continues(body: str, nxt: str, m: int) -> bool:
    return (
        bool(body)
        and "\t" not in body and "\t" not in nxt  # a table's rows are lines of their own
        and width(body) >= m - _SLACK
        and not _ENDS_PARAGRAPH.search(body)
        and not _BREAK_BEFORE.match(nxt)
        and not (_STANDALONE_NAME.match(nxt) and width(nxt.strip(_WS)) < m - _SLACK)
    )


def _ascii_word(a: str, b: str) -> bool:
    # English words wrapped at the margin keep the space the wrap stood for.
    return a.isascii() and b.isascii() and a.isalpha() and b.isalpha()
