"""What a duty sentence has its subject do: the predicate that follows a body at a clause start.

A predicate is a time or manner adverbial, then a modal (要/应当/须 ...) and/or a verb. Chinese
policy prose often drops the modal ("各区县依托本级医院建设感染楼", "国务院疾病预防控制部门拟订
…预案", "区疾控中心每日9点前将工单推送…"), so a clause-initial body followed by an action verb is
the clause's subject as much as one followed by 要. The verbs are a lexicon of what administrations
do (build, organise, fund, supervise, report, publish ...), grouped by the role they give: 负责 /
牵头 / 会同 lead, 配合 / 协助 / 参与 support, every other action verb makes its sole subject the lead
and a list of subjects co-responsible. A preposition opening the predicate ("X对…进行监督", "X在…
下开展", "X根据…确定") is a predicate too: a body that governs a prepositional phrase is acting.

What is *not* a predicate: a narrative of what was done (相继开展, 已建成, 开展了 — a report, not a
duty), a verb that makes a noun phrase ("X编制的规划"), a copula except "X是…的责任主体".
"""

from __future__ import annotations

import re
from functools import lru_cache

MODAL = r"(?:要|应当|应|须|必须|需|务必)(?!求|用|对|届|收|付|知|急)"

# When and how: "2025年底前", "每日9点前", "及时", "依据职责", "依照本法规定的权限和程序，".
_TIME = (
    r"于?\d{4}年[^，,。；;]{0,10}?(?:前|起|底)，?|每年\d{0,2}月?底?前|"
    r"每(?:日|天|周|月|季度|季|年|半年)(?:\s*\d{1,2}\s*(?:点|时)前)?|\d+\s*(?:小时|个?工作日|日|天)内|"
    r"定期|第一时间|当[日天]|年内|年底前|适时|必要时|视情"
)
_MANNER = (
    r"将|予以|密切|继续|进一步|切实|认真|积极|主动|及时|迅速|尽快|立即|按时|如期|提前|"
    r"按照职责分工|按职责分工|按职责|分别|共同|统一|具体|也|还|并|均|同时|重点|优先|另行|"
    r"率先|普遍|力争|原则上|全面|全部|一律|都|逐步|不断|大力|持续|深入|广泛|严格|全力|集中|直接|至少|最少|"
    r"依法|依规|根据需要|按规定|按要求|要在|"
    # a law's adverbials: "X依据各自职责负责…", "X在各自职责范围内…"
    r"(?:依据|依照|根据|按照)(?:各自)?(?:的)?职责(?:分工)?|在各自(?:的)?职责范围内|"
    # "X依照有关…法律、行政法规规定的权限和程序，决定…": the rule the subject acts under
    r"(?:依照|依据|根据|按照)[^。；;，,\n]{0,50}?(?:规定|职责|权限和程序|程序|要求)(?:的权限和程序)?[，,]?"
)
ADVERBIALS = rf"(?:(?:{_TIME}|{_MANNER})\s*){{0,4}}"

LEAD_VERB = r"发挥牵头|负责(?!人)|牵头|主管|承担|会同|联合|统筹|主导|领导(?!小组|下)|负(?:领导|主体|监管|总|直接|主要)?责(?:任)?"
SUPPORT_VERB = r"配合|协同|协助|参与"
# What administrations do, by kind of act. A verb here after a clause-initial body makes the body
# the subject; the list is the policy register's (not one document's): extend by kind, not phrase.
# Verbs that are also the stem of a department's name: a verb only when no body's head follows
# ("各镇（街道）教育办和学校要…" is the education office, "X教育引导群众" is a duty).
_NAME_WORDS = r"(?:教育|宣传|发展|管理|建设|监督|监测|检验|组织|统筹|审计|统计)(?!(?:[局办委厅部科室处]|中心|行政|主管|管理|改革|和|执法|工作))"
ACT_VERBS = _NAME_WORDS + "|" + (
    # plan, decide, regulate
    "理顺|制定|制订|拟订|拟定|起草|编制|修订|出台|印发|发布|公布|公开|决定|确定|批准|审批|核准|审核|审查|审定|认定|"
    "指定|划定|调整|明确|规定|部署|安排|谋划|研究|研判|提出|提请|申请|"
    # build and equip
    "建立|建成|新建|改建|扩建|改造|打造|办好|设置|设立|成立|组建|搭建|构建|形成|配备|配置|购置|储备|"
    "开通|运行|运营|维护|开发|研发|应用|推广|推行|实行|执行|实施|落实|开展|举办|召开|承办|"
    # steer and strengthen
    "加强|推进|推动|促进|完善|健全|强化|提升|提高|规范|加快|深化|优化|扩大|增加|降低|减少|控制|保障|确保|"
    "保证|支持|指导|督促|检查|督查|督导|巡查|排查|考核|评估|检测|调查|核实|"
    "整治|整改|清理|治理|处置|处理|防控|防治|消杀|协调|引导|鼓励|动员|培训|"
    # fund and provide
    "提供|给予|补助|补贴|拨付|投入|筹集|筹措|"
    # report, share, hand on
    "报告|报送|上报|通报|反馈|汇总|收集|分析|共享|推送|派单|转办|交办|受理|办理|办结|接报|登记|梳理|甄别|"
    "预警|响应|启动|派出|派驻|选派|对接|衔接|跟踪|结对|支援|帮扶|总结|推荐|遴选|培养|招聘|"
    "纳入|列入|覆盖|达到|完成|实现|做好|抓好|做实|创建|争创|争取|培育|改善|满足|履行|遵守|接受|"
    "负责|采取|公示|备案|核查|抽查|复核|建档|造册|加大|发挥|健全"
)
# A predicate may open with a preposition whose phrase the verb follows.
# (not 为 / 以: "以X为主体，Y为补充" is a noun phrase)
_PREPOSITION = r"对(?!于?外)|在(?!内|外)|与|同(?!级|时)|向|从|就|把|通过|依托|结合|围绕|针对|利用|根据|按照|依据|依照|参照|将"
OTHER_VERB = rf"{ACT_VERBS}|{_PREPOSITION}"

_VERBS = rf"{LEAD_VERB}|{SUPPORT_VERB}|{OTHER_VERB}"
# (the lookahead makes the adverbials give way until a modal or a verb follows them: "于2019年12月
# 底前完成" is 于…前 + 完成, not 于…底 + nothing)
# "健康中国行动推进委员会（以下简称推进委员会）负责…": the alias between subject and predicate.
ALIAS_NOTE = r"[（(][^（）()]{0,12}?(?:以下简称|以下称|简称|下称)[“\"]?(?P<alias>[^（）()“”\"]{1,20})[”\"]?[）)]"
VERB = re.compile(
    rf"(?:{ALIAS_NOTE})?{ADVERBIALS}(?P<past>相继|先后|已经|已|曾|陆续)?{ADVERBIALS}(?=(?:{MODAL})|(?:{_VERBS}))"
    rf"(?:(?P<modal>{MODAL}){ADVERBIALS})?(?P<verb>{_VERBS})?"
)
# A law's condition between subject and modal, opening with what the subject does or meets:
# "X发现传染病疫情时，应当…", "X接到报告后，应当…", "X认为…不适当的，应当…".
CONDITION_MODAL = re.compile(
    rf"(?:发现|接到|收到|认为|在|对|因|需要|未|违反|履行|执行|采取|作出|决定|开展|实施|经|按照|依照|根据|遇到|遇有)"
    rf"[^，,。；;：:\n]{{1,40}}?(?:时|后|的)[，,]{ADVERBIALS}(?P<modal>{MODAL})"
)
# "X是落实…方针的责任主体", "…和部门是…的执行者": a copula naming a duty-bearer.
COPULA_DUTY = re.compile(r"是[^，,。；;]{0,30}?的?(?:责任主体|第一责任人|执行者|实施主体|主体责任单位|牵头单位|责任单位)")


def is_narrative(s: str, v: re.Match) -> bool:
    """The predicate v reports what was done ("各镇街也相继开展", "已建成", "开展了": a report's
    past), not what is to be done."""
    return not v.group("modal") and (bool(v.group("past")) or s.startswith("了", v.end()))


# A clause that permits or empowers ("可以根据情况决定", "有权进入") assigns no duty.
_PERMIT = re.compile(r"可以|也可|可根据|可按|可在|可对|可由|可结合|可参照|可视|有权")
_OBLIGE = re.compile(MODAL)


def is_permissive(s: str, e: int) -> bool:
    """The sentence after a subject ending at e permits before it obliges."""
    end = e
    while end < len(s) and s[end] not in "。；;\n":
        end += 1
    permit = _PERMIT.search(s, e, end)
    if permit is None:
        return False
    oblige = _OBLIGE.search(s, e, end)
    return oblige is None or permit.start() < oblige.start()


# Where a predicate can open (any of its first words): one regex pass over a task's text, so the
# grammar tries a predicate only there instead of at every character after a clause start.
_FIRST_WORDS = re.compile(
    rf"(?=(?:[（(]|{_TIME}|{_MANNER}|{MODAL}|{_VERBS}|相继|先后|已经|已|曾|陆续|是|"
    r"发现|接到|收到|认为|因|需要|未|违反|履行|执行|作出|经|遇到|遇有))"
)


@lru_cache(maxsize=16)
def predicate_starts(s: str) -> list[int]:
    """Every position of s where a predicate may open, in order."""
    return [m.start() for m in _FIRST_WORDS.finditer(s)]
