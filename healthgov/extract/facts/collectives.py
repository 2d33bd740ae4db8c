"""Collective subjects: "各地", "各省份", "地方各级人民政府", "相关部门", "起草单位".

National and provincial documents often hand a duty to a class of bodies rather than to one:
"各地要…" (the local governments), "各省份负责…" (every provincial government), "相关部门要…"
(the departments concerned). For a researcher these are the point of tier division — the
nation delegating to the provinces — so they are responsibilities, marked ``collective`` so
that a question about named agencies can leave them out. A place collective is a people's
government at the level its prefix tells (各省份 → province); a department collective has no
agency type (there is nothing to type) and is not reported as an unknown unit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from healthgov.extract.facts.agencies import resolve_agency, resolves
from healthgov.records import AgencyRef

# Classes of places: their governments.
_PLACES = (
    r"各地(?:区|方)?|各省份?|各省（区、市）|各省\(区、市\)|各省、自治区、直辖市|各省级|"
    r"各地市|各设区市|各市(?:州|（州）|\(州\))?|各市县|各市区|各区县|各县区|各县(?:（市(?:、区)?）|\(市(?:、区)?\)|市区)?|各区|"
    r"地方(?:各级政府|政府)?|各乡镇|各镇街|各镇|各乡|各街道|属地镇(?:（街道）|\(街道\))?|各(?:试点)?(?:地区|城市)|属地|有条件的(?:地方|地区|省份|城市|市县|县市区|县区|区县)|试点(?:地区|城市|省份)|各?县市区|"
    # "每个区县建设1所…": every place of the class
    r"(?:每个|所有)(?:建制)?(?:省份?|市(?:（地）|\(地\))?|区县|县区|县|区|县市区|乡镇|镇|乡|街道|行政村|村|社区)"
)
# "各乡镇（街道）", "各镇（街道、管委会）": the class with the other units of its tier in brackets.
_PLACE_CLASS = re.compile(rf"(?P<place>{_PLACES})(?:（[^（）]{{1,12}}）|\([^()]{{1,12}}\))?")
# Classes of departments or units, optionally at a level ("市级有关部门", "各级各有关部门").
# (A bare "成员单位" is as often a medical alliance's member hospitals as a group's departments.)
_UNITS = re.compile(
    r"(?:(?:省|市|县|区|国家)(?:级|直)?|各级各?|各)?(?:其他|其它)?(?:有关|相关|各)?(?:部门|单位)|(?:有关|相关)机关|各成员单位|起草单位"
)
# A class prefix before a body's name: the body of that type in every place of the class.
# A law's classes of governments: 县级以上地方人民政府卫生健康主管部门, 设区的市级以上地方人民政府.
_LAW_CLASS = r"(?:(?:县|市|省|设区的市|乡)级以上(?:地方)?(?:各级)?|地方各级|上级|本级|同级)(?:人民政府)?"
_CLASS_PREFIX = re.compile(rf"{_LAW_CLASS}|各级|(?:{_PLACES})(?:（[^（）]{{1,12}}）)?|各(?:省|市|县|区)级")
# A list or a clause, not one name (住房和城乡建设 is one).
_NOT_ONE_NAME = re.compile(r"[、，,。；;：:是的要应须在对将把为被]|(?<!住房)和(?!城乡)|及|与|并")
_LEVEL_WORD = (("省", "province"), ("市", "city"), ("区县", "county"), ("县", "county"), ("区", "county"),
               ("乡镇", "township"), ("街道", "township"), ("国家", "nation"))


@lru_cache(maxsize=1024)
def collective_ref(name: str) -> AgencyRef | None:
    """The agency a collective subject stands for, or None when ``name`` is not one."""
    core = re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")  # one bracket form
    m = _PLACE_CLASS.fullmatch(core)
    if m is not None:
        level = _place_level(m.group("place"))
        return AgencyRef(name=name, agency_type="people-government", level=level, jurisdiction=None)
    if _UNITS.fullmatch(core) and core not in ("部门", "单位"):
        return AgencyRef(name=name, agency_type=None, level=_unit_level(core), jurisdiction=None)
    bare = re.sub(r"（[^（）]{1,12}）", "（）", core)  # 各省（区、市）: the 、 is inside the brackets
    if not _NOT_ONE_NAME.search(bare) and re.fullmatch(r"[\u4e00-\u9fff（）]{3,30}", bare):
        # "各区县政府", "各级卫生健康部门", "各地医保部门": every body of that type in the class
        for i in range(len(core) - 2, 0, -1):
            if _CLASS_PREFIX.fullmatch(core[:i]) and resolves(core[i:]):
                ref = resolve_agency(name)
                if ref.agency_type is None:
                    break
                level = "province" if core.startswith("各省") else ref.level  # 各省（区、市）: not a 市
                return AgencyRef(name=name, agency_type=ref.agency_type, level=level, jurisdiction=ref.jurisdiction)
    return None


def is_collective(name: str) -> bool:
    return collective_ref(name) is not None


def _place_level(core: str) -> str | None:
    if core.startswith(("各地", "各市县", "各市区")) or "试点" in core or core in ("各地区", "各城市"):
        return None  # several levels at once ("各市县" in Hainan are cities and counties)
    if core.startswith("各省"):
        return "province"  # 各省（区、市）: the 市 inside is a province-level city
    gov = resolve_agency(core + "人民政府")
    return gov.level


def _unit_level(core: str) -> str | None:
    for word, level in _LEVEL_WORD:
        if core.startswith(word):
            return level
    return None
