"""Whether a quantity in running text is a target: the words that make it one (a target verb, a
comparator, advice, the measure of an act), and what makes it none although it is written like one
(a present fact or a study's finding, a definition, a condition, a look-back window, a number inside a
rate's name, a value in a bracket that defines a term).
"""

from __future__ import annotations

import re

from healthgov.extract.facts.targets.comparators import TIME_UNITS, Hit
from healthgov.records import Target

_TARGET_CUE = re.compile(
    r"达到|达|不低于|不少于|不高于|不超过|低于|高于|超过|突破|控制在|保持在|稳定在|维持在|提高到|提高至|"
    r"提升到|提升至|降低到|降低至|降到|降至|下降到|下降至|减少到|减少至|增加到|增加至|增长到|增长至|"
    r"至少|力争|建成|建设|打造|设立|设置|培养|培育|引进|新增|增加|提高|降低|下降|减少|增长|覆盖|"
    r"为|占|配备|实现|完成|选拔|招收|培训|入选|以上|以下|以内|左右|分别|均|办好|建立|组建|采集|"
    r"小于|大于|少于|多于|最多|至多|最少|"
    r"建议|提倡|倡导|尽量"  # advice is a norm of conduct: "建议休息远眺10分钟", "尽量纯母乳喂养6个月"
)
# An act whose measure the value is, right before it: how many to pick or survey, how long to
# keep at it, how often ("选4个位置", "调查100户", "持续30分钟", "连续布放4天", "每隔1～2小时",
# "含服1片", "每5万人配置1辆").
_MEASURE_CUE = re.compile(r"(?:选|选取|选择|调查|抽查|抽取|连续|持续|累计|掌握|含服|配置|每隔|间隔|进行|离(?![退开职婚岗任休])|距离|相距)"
                          r"[\u4e00-\u9fff]{0,4}\s*$")
_LOOK_BACK = re.compile(r"(?:近|前|过去)\s*$")
_HISTORY = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:旅居史|接触史|暴露史|史)")
_WINDOW_OF = re.compile(r"\s*(?:的|是否|有无|曾)")
# A sentence that reports what is (a study's finding, the country's state), and words of an aim.
_FINDING = re.compile(r"(?:研究|调查|统计|监测|数据|报告|资料)(?:结果)?(?:发现|显示|表明|指出)")
_STATE = re.compile(r"\s*(?:我国|近年来|据)")
_NOW = re.compile(r"\s*(?:目前|现有|截至目前|当前)")  # "目前我区共有…，其中…228支": present, whatever the year
_AIM = re.compile(r"要|应|须|需|将|力争|争取|确保|保证|建议|提倡|鼓励|倡导|达到")
_DATE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日")
_DIRECTIVE_AFTER = re.compile(r"[^，,；;。：:\n]{0,12}?(?:应当|必须|主动|(?<![主重需只想纲])要|(?<![必])须)")
_BASELINE_NOTE = re.compile(r"(?:19|20)\d{2}\s*年|现状|目前|基线|基期|现为")
_SPACING = re.compile(r"\s*(?:距离|间距)")
_SYMPTOM = re.compile(r"(?<![不未免止])出现")  # (不出现 / 防止出现 is an aim, not a symptom)
_RATE_OF = re.compile(r"按照?[^，,；;。]{0,30}的\s*$")
_NOUN_ONLY = re.compile(r"\s*[\u4e00-\u9fff（）()]{2,20}\s*")
_CODES = re.compile(r"^[\u4e00-\u9fff]{0,4}(编码|代码|字段|数据元|术语)")
_PRESENT = re.compile(r"已|目前|现有(?!基础|水平)|现已|当前")  # "在现有基础上提高30%" is a baseline
_DEFINITION = re.compile(r"是指|系指|指的是|定义为")
# What follows a value that names a rate rather than sets one: "6类以上[中医非药物疗法]的比例".
_QUALIFIER = re.compile(r"\s*的?[\u4e00-\u9fff]{0,12}?的?(?:比例|比率|占比|率)(?![\u4e00-\u9fff]{0,2}(?:的|为))")
_CLASSES = re.compile(r"分(?:为|成)\s*$")
_WHEN = re.compile(r"\s*(?:当|如果|若|一旦)")
_WHEN_END = re.compile(r"\s*(?:及以上|以上|及以下|以下)?的?时")


def reported(norm: str, sent: int, ca: int, pos: int, no_year: bool) -> bool:
    """A sentence that reports what is, with no aim in it: a study's finding or the country's state
    ("研究发现…占到60%", "我国…比例为33.9%") when no target year anchors it, and "目前…" whatever
    the year."""
    if _AIM.search(norm, sent, pos):
        return False
    return bool(no_year and (_FINDING.search(norm, sent, pos) or _STATE.match(norm, sent) or _STATE.match(norm, ca))
                or _NOW.match(norm, sent))


def is_target(norm: str, ca: int, hit: Hit, yearly: bool, sent: int) -> bool:
    """A quantity whose clause makes it a target: a target word, a yearly quota or a time limit;
    not a count of codes, a present fact or a definition."""
    clause = norm[ca : hit.start]
    if _CODES.match(norm[hit.end : hit.end + 8]) or _PRESENT.search(clause) or _DEFINITION.search(clause):
        return False  # "15项业务编码", "目前已组建医联体12个", "医联体是指…"
    if _SYMPTOM.search(norm, sent, hit.start):
        return False  # "出现咳嗽、咳痰2周以上…时", "出现…持续存在2周以上": a symptom, a condition
    if _CLASSES.search(clause) or (_WHEN.match(clause) and _WHEN_END.match(norm, hit.end)):
        return False  # "分为三类": a classification; "当下降率<80%时": a condition
    if hit.unit in TIME_UNITS and _LOOK_BACK.search(norm, max(ca, hit.start - 3), hit.start) and _WINDOW_OF.match(norm, hit.end):
        return False  # "近14天内的发热病例", "发病前14天内是否有旅居史": a look-back window
    if hit.unit in TIME_UNITS and _HISTORY.match(norm, hit.end):
        return False  # "有临床表现或14天内国外旅居史患者": the window of a history, a condition
    if hit.unit != "%" and _QUALIFIER.match(norm, hit.end):
        return False  # "提供6类以上中医非药物疗法的比例", "5分钟内的出车率": part of a rate's name
    if re.search(r"\d\s*%\s*(?:及以上|以上)的", clause):
        return False  # "70%以上的流行县…患病率在1%以下": the criterion of a share of units
    if yearly or (hit.post in ("内", "以内", "之内") and hit.unit in TIME_UNITS):
        return True  # "每年开展1次", "5个工作日内完成"
    # A word after the value ("以上", "以内") is its own; one past a frequency is the next value's:
    # "核心区前3天每天至少开展一次" (至少 is the quota's, 3天 a period).
    ahead = norm[hit.end : hit.end + 4].split("每")[0]
    if _TARGET_CUE.search(norm[ca : hit.end] + ahead):
        return True
    if _DIRECTIVE_AFTER.match(norm, hit.end):
        return True  # "产后3～7天和42天主动接受访视": a modal after the value, in its clause
    if _SPACING.match(norm, hit.end):
        return True  # "每25-30米距离布放一个": a spacing
    if _RATE_OF.search(norm, ca, hit.start):
        return True  # "按照…年度药品总用量的60%—70%估算": a rate a rule applies to a base
    # a measure of an act; not in a dated schedule ("7月28日至30日，连续3天"), a one-off's account
    return bool(_MEASURE_CUE.search(norm, ca, hit.start)) and not _DATE.search(norm, sent, hit.start)


def continues_list(norm: str, ca: int, cb: int, hit: Hit, prev: Target | None, sent: int) -> bool:
    """A clause that is only a noun and its quantity after a target written the same way, in the
    same sentence and unit: one more item under the same verb ("设立市级医学中心20个，市级区域医学
    中心20个")."""
    if prev is None or prev.span is None or prev.span.start < sent or prev.unit != hit.unit:
        return False
    if prev.span.end >= ca and re.search(r"(?:或者|或|和|及)\s*$", norm[prev.span.end : hit.start]):
        return True  # "累计150分钟中等强度或75分钟高强度身体活动": an alternative in the same clause
    if norm[hit.end : cb].strip() or not _NOUN_ONLY.fullmatch(norm[ca : hit.start]):
        return False
    after = norm[prev.span.end : prev.span.end + 1]  # the target before ends its clause too
    return not after.strip() or after in "，,；;、"


def _open_bracket(norm: str, pos: int, lo: int) -> int:
    """Where the bracket around pos opens (-1: pos is in none)."""
    depth, k = 0, pos - 1
    while k >= lo:
        if norm[k] in "）)":
            depth += 1
        elif norm[k] in "（(":
            if depth == 0:
                return k
            depth -= 1
        k -= 1
    return -1


def in_definition(norm: str, pos: int, lo: int, hi: int) -> bool:
    """A value in a bracket that a noun phrase runs on after ("经常参加体育锻炼（每周…3次及以上）
    人数比例"): it defines the term, it sets nothing."""
    k = _open_bracket(norm, pos, lo)
    if k < 0:
        return False
    depth = 0
    for j in range(pos, hi):
        if norm[j] in "（(":
            depth += 1
        elif norm[j] in "）)":
            if depth == 0:
                return bool(re.match(r"[\u4e00-\u9fff]", norm[j + 1 : j + 2]))
            depth -= 1
    return False


def bracket_after_target(norm: str, out: list[Target], pos: int, lo: int) -> Target | None:
    """The target a bracket opened right after it breaks down or restates: "接受5次产前检查（孕早期
    1次，孕中期2次…）", "每天7～8杯（1500～1700ml）"; the values in it are targets too."""
    k = _open_bracket(norm, pos, lo)
    if k < 0 or in_baseline_note(norm, pos, lo):
        return None
    for prev in reversed(out):
        if prev.span is None or prev.span.end <= lo:
            break
        gap = norm[prev.span.end : k]
        if prev.span.end <= k and len(gap) <= 6 and not re.search(r"[，,；;。：:、]", gap):
            return prev
    return None


def in_baseline_note(norm: str, pos: int, lo: int) -> bool:
    """A value in a bracket that states a baseline or the present ("达到90%（现为85%）", "（2020年为
    85%）"): context beside a target, never one."""
    k = _open_bracket(norm, pos, lo)
    return k >= 0 and bool(_BASELINE_NOTE.search(norm, k, pos))
