"""Web page chrome → ``Removed`` records. The text itself is never cut.

Pages saved from government and news portals carry navigation lists, share buttons, font
switches, publication meta lines (发布时间 … 访问量), editor and source credits, contact lines,
footers and download lists. Each such line is recorded with its kind and span so later stages
skip it and a reader can see what was dropped. Matching runs on the simplified twin (same
length), so traditional pages are cleaned by the same rules.

Rules key on the *form* of chrome (short lines, keywords at line start, counters, URLs,
e-mails), never on a particular page's sentences; a body paragraph is never removed because it
happens to mention a keyword (the line-length guards below).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from healthgov.records import Removed, Span

# A form feed (a page break kept from a PDF's text layer) is layout, like a space.
_WS = " \t\u3000\xa0\u2002\u2003\u200b\ufeff\f"

_MARK = (r"(依申请|主动|不予|免予|部分|删减后)?公开|不公开|特\s*急|加\s*急|平\s*急|特\s*提|急\s*件|"
         r"(绝密|机密|秘密)(\s*★.{0,10})?")

# (kind, pattern, max line length). Patterns match the stripped simplified line.
_RULES: list[tuple[str, re.Pattern[str], int]] = [
    ("navigation", re.compile(r"^[•·▪●◆■►>»]\s*\S"), 30),
    ("navigation", re.compile(r"^(当前位置|您的位置|你的位置|当前页面|所在位置)"), 80),
    ("navigation", re.compile(r"^首页\s*([>＞»/\-—|]|$)"), 80),
    ("navigation", re.compile(r"(\S+\s*[>＞»]\s*){2,}\S+$"), 60),
    ("share", re.compile(r"^(分享到|分享至|分享|链接已复制|连结已复制|复制链接|扫一扫|微信扫一扫|用手机扫描|手机扫码|"
                         r"在手机打开|手机阅读|收藏|微信|微博|QQ空间)"), 30),
    ("font", re.compile(r"^(字体|字号|文字大小|【?\s*字体|字体大小)\s*[:：]?"), 40),
    ("font", re.compile(r"^[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小\s*[】\]]?$"), 20),
    ("print", re.compile(r"^[【\[]?\s*(打印本页|打印|关闭窗口|关闭|打印正文|保存|纠错)\s*[】\]]?(\s*[【\[]?\s*(打印本页|打印|关闭窗口|关闭|保存)\s*[】\]]?)*$"), 30),
    ("meta", re.compile(r"^(发布时间|发布日期|发文日期|更新时间|日期|时间|发稿时间)\s*[:：]\s*\d"), 160),
    ("meta", re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s+\d{1,2}\s*:\s*\d{2}(\s*:\s*\d{2})?"), 60),
    ("counter", re.compile(r"(访问量|浏览量|浏览次数|阅读量|阅读次数|点击量|点击数|点击率|访问次数)\s*[:：]?"), 80),
    ("source", re.compile(r"^[【\[]?\s*(来源|信息来源|稿件来源|文章来源|稿源|出处)\s*[:：]"), 60),
    ("editor", re.compile(r"^[【\[（(]?\s*(责任编辑|编辑|责编|审核|校对|审校|作者|记者|供稿|撰稿|初审|复审|终审)\s*[:：]"), 40),
    ("contact", re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), 80),
    ("contact", re.compile(r"^(联系电话|电话|传真|邮编|邮箱|投稿邮箱|电子邮箱|联系人|联系方式|地址|品牌合作|商务合作|QQ)\s*[:：]"), 80),
    ("footer", re.compile(r"(返回顶部|回到顶部|我要纠错|版权所有|Copyright|©|ICP备|ICP证|网站标识码|公网安备|网站地图|"
                          r"联系我们|无障碍|适老化|主办单位\s*[:：]|承办单位\s*[:：]|技术支持\s*[:：]|建议使用.{0,20}浏览器|"
                          r"上一篇|下一篇|相关链接|相关文章|相关阅读|热点推荐)", re.I), 80),
    ("attachment", re.compile(r"^(文档附件|附件下载|附件列表|相关附件)\s*[:：]?\s*$"), 12),
    ("attachment", re.compile(r"\.(docx?|pdf|xlsx?|wps|ofd|zip|rar|et)\s*$", re.I), 120),
    ("url", re.compile(r"^(https?://|www\.)\S+$", re.I), 200),
    # The page layer of a printed document: page numbers, the disclosure, urgency and secrecy
    # marks of the letterhead, the distribution (抄送) and print lines of the last page.
    ("page", re.compile(r"^[—–\-－]\s*\d{1,4}\s*[—–\-－]$"), 12),
    ("page", re.compile(r"^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$"), 20),
    ("mark", re.compile(r"^(" + _MARK + r")(\s+(" + _MARK + r"))*$"), 30),
    ("mark", re.compile(r"^(公开方式|公开属性|信息公开选项)\s*[:：]"), 30),
    ("distribution", re.compile(r"^抄\s*送\s*[:：]"), 400),
    ("print", re.compile(r"^\S.{1,60}\s\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印\s*发$"), 90),
]

# Removed lines of the page layer (page numbers, running headers, marks, a letterhead, a title block
# printed after the first page's text, a table of contents): a task's text steps over them (it goes
# on after them) and the fact extractors never read them; web chrome ends a task.
PAGE_KINDS = frozenset({"page", "running-header", "mark", "letterhead", "title", "contents"})

def without_page_layer(text: str, start: int, end: int, page: list[tuple[int, int]]) -> str:
    """``text[start:end]`` without the page-layer spans inside it (``page``: sorted (start, end)
    of the removed lines of ``PAGE_KINDS``), each with the line break after it: an item's text or
    a name as a reader reads it over a page break. The one way the project cuts the page layer."""
    i = bisect_right(page, (start, len(text) + 1))
    out, pos = [], start
    while i < len(page) and page[i][1] <= end:
        a, b = page[i]
        if a > start:
            out.append(text[pos:a])
            pos = b + 1 if text[b : b + 1] == "\n" else b
        i += 1
    if not out:
        return text[start:end]
    out.append(text[pos:end] if end > pos else "")
    return re.sub(r"\n[ \t\u3000\f]*(?=\n)", "", "".join(out)).rstrip("\n")


# The last word of a document title; only such lines count as repeated page titles (a
# signature repeating the issuer's letterhead is not chrome).
TITLE_END = re.compile(
    r"(通知|意见|方案|规划|计划|办法|决定|规定|细则|纲要|批复|函|公告|通告|要点|指南|清单|措施|标准|报告|"
    r"条例|决议|命令|通报|纪要|指引|章程|守则|目录|行动|实施意见|指导意见|法)[》”\")）]*$"
)


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _WS:
        a += 1
    while b > a and text[b - 1] in _WS:
        b -= 1
    return a, b


def classify_line(line: str) -> str | None:
    """The chrome kind of one stripped simplified line, or None if it is document text."""
    s = line.strip(_WS)
    if not s:
        return None
    for kind, pat, maxlen in _RULES:
        if len(s) <= maxlen and pat.search(s):
            return kind
    return None


def find_chrome(text: str, simp: str) -> list[Removed]:
    """Chrome lines of the page, each a ``Removed`` over the stripped line."""
    removed: list[Removed] = []
    spans = line_spans(simp)
    n = len(spans)
    kinds: list[str | None] = [classify_line(simp[a:b]) for a, b in spans]
    # A footer tail: after an editor credit or "return to top" in the last part of the page,
    # the rest (site blurbs, mailboxes) is the portal's, not the document's.
    tail_from = None
    for i in range(n - 1, max(-1, n - 40), -1):
        if kinds[i] in ("editor", "footer") and spans[i][0] > len(simp) * 0.6:
            tail_from = i
    if tail_from is not None:
        for i in range(tail_from + 1, n):
            a, b = spans[i]
            s = simp[a:b].strip(_WS)
            if s and kinds[i] is None and not re.match(r"附件\s*\d*\s*$", s):
                kinds[i] = "footer"
    # A line repeating an earlier line of the page header (a page title printed two or three
    # times) is recorded as a duplicate; the first occurrence stays.
    seen: dict[str, int] = {}
    header_end = _header_limit(simp, spans)
    for i, (a, b) in enumerate(spans):
        if a >= header_end:
            break
        key = re.sub(r"\s+", "", simp[a:b])
        if not key or kinds[i] or len(key) > 120 or not TITLE_END.search(key):
            continue
        if key in seen:
            kinds[i] = "duplicate"
        else:
            seen[key] = i
    _page_layer(simp, spans, kinds)
    for i, (a, b) in enumerate(spans):
        if kinds[i]:
            sa, sb = strip_span(text, a, b)
            removed.append(Removed(kinds[i], text[sa:sb], Span(sa, sb)))
    return removed


# Lines near a page break that repeat on three or more pages are the page's running header or
# footer ("中央和国务院相关文件", a chapter name), not text.
_RUNNING_MIN = 3
_NEAR_BREAK = 4  # content lines from a page break
# ... printed on at least this share of the pages.


def _page_layer(simp: str, spans: list[tuple[int, int]], kinds: list[str | None]) -> None:
    """Mark page numbers printed alone beside a page break and running headers/footers."""
    lines = [simp[a:b].strip(_WS) for a, b in spans]
    breaks = [i for i, (a, b) in enumerate(spans) if "\f" in simp[a:b] or kinds[i] == "page"]
    if not breaks:
        return
    # Each line near a break, with its place from the break (the n-th content line after or
    # before it): a running header stands at the same place on every page it is printed on.
    place: dict[int, tuple[int, int]] = {}
    for k in breaks:
        for step in (1, -1):
            i, seen = k + step, 0
            while 0 <= i < len(lines) and seen < _NEAR_BREAK and "\f" not in simp[spans[i][0]:spans[i][1]]:
                if lines[i] and kinds[i] is None:
                    seen += 1
                    place.setdefault(i, (step, seen))
                i += step
    by_text: dict[str, list[int]] = {}
    for i in place:
        s = lines[i]
        if re.fullmatch(r"\d{1,3}", s):
            kinds[i] = "page"  # a bare page number beside a page break
        elif len(s) <= 40 and not re.search(r"[。；;]", s):
            by_text.setdefault(s, []).append(i)
    pages = len(breaks)
    # The issuer's name alone beside a break, as printed at the head of the document ("佛山市疾病预防
    # 控制中心" under a page's last line, the title opening "佛山市疾病预防控制中心关于…"), is the
    # page's running footer even in a document too short to repeat it three times.
    # It interrupts a sentence (the line before it does not end one), which a signature never does.
    head = [x for x in lines[:12] if x][:6]
    for s, idx in by_text.items():
        if not (4 <= len(s) <= 30 and not re.search(r"[，,。；;：:、]", s) and any(h != s and h.startswith(s) for h in head)):
            continue
        for i in idx:
            before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j]), "")
            if place[i][1] == 1 and before and not re.search(r"[。；;：:！!？?）)]$", before):
                kinds[i] = "running-header"
    for s, idx in by_text.items():
        same_place = Counter(place[i] for i in idx).most_common(1)[0][1]
        if same_place >= max(_RUNNING_MIN, pages * 0.3) and len(idx) == sum(1 for x in lines if x == s):
            for i in idx:
                kinds[i] = "running-header"


def _header_limit(simp: str, spans: list[tuple[int, int]]) -> int:
    """End of the page header: the first long paragraph or structural heading."""
    for a, b in spans:
        s = simp[a:b].strip(_WS)
        if len(s) > 120 or re.match(r"^(一|第一章|第一条)[、 ]", s):
            return a
    return len(simp)
