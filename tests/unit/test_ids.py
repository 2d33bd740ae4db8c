"""The identity rules of ``healthgov.ids``: one place, the same key however a fact is written."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from healthgov import ids


def test_policy_id_of_one_document_number_written_two_ways() -> None:
    a = ids.policy_id("國衛基層發〔2023〕41號", "某标题")
    b = ids.policy_id("国卫基层发[2023] 第41号", "另一个标题")
    assert a == b
    assert a.startswith("p") and len(a) == 13
    assert ids.normalise_doc_number("國衛基層發〔2023〕41號") == "国卫基层发〔2023〕41号"


def test_policy_id_by_title_when_there_is_no_number() -> None:
    assert ids.policy_id(None, "《健康中国行动》") == ids.policy_id("", "健康中国 行动")
    assert ids.policy_id(None, "健康中国行动") != ids.policy_id("国发〔2019〕13号", "健康中国行动")
    assert ids.normalise_title("《關於 印發》") == "关于印发"


def test_agency_key_of_a_national_body() -> None:
    aid, own = ids.agency_key("國家 醫保局", "nation", None, "重庆市", "province")
    assert (aid, own) == ("全国/国家医保局", ids.NATION)


def test_agency_key_of_units_below_the_document_level() -> None:
    # Same words, two cities: two sets of bodies; no own jurisdiction.
    a = ids.agency_key("各区县卫生健康局", "county", None, "重庆市", "province")
    b = ids.agency_key("各区县卫生健康局", "county", None, "杭州市", "city")
    assert a == ("重庆市/各区县卫生健康局", None) and b[0] == "杭州市/各区县卫生健康局"
    assert ids.jurisdiction_key("city", None, "杭州市", "city") == "杭州市"


def test_agency_key_of_a_body_named_exactly_is_its_type_in_its_jurisdiction() -> None:
    # The extractor's name_form says the name is exactly prefix + label (test_agency_identity).
    key = lambda name, form, **kw: ids.agency_key(name, "city", None, "广州市", "city",  # noqa: E731
                                                  agency_type="health-commission", name_form=form, **kw)
    assert key("市卫健委", "current:卫健委") == key("廣州市衛生健康委員會", "current:卫生健康委员会") == (
        "广州市/health-commission", "广州市")
    assert key("市卫生计生委", "former:卫生计生委")[0] == "广州市/health-commission/former/卫生计生委"
    # The predecessor body's full name (the vocabulary's hg:formerBody, given by the caller) keys it.
    assert key("市卫计委", "former:卫计委", former_body="卫生和计划生育委员会")[0] == (
        "广州市/health-commission/former/卫生和计划生育委员会")
    assert key("市卫生健康部门", "generic:卫生健康部门")[0] == "广州市/health-commission/generic"
    # A class of bodies, no form, a malformed form, or no own jurisdiction: the surface key.
    assert key("各区县卫生健康局", "current:卫生健康局", collective=True)[0] == "广州市/各区县卫生健康局"
    assert key("市卫健委", None)[0] == key("市卫健委", "bogus")[0] == "广州市/市卫健委"
    assert ids.agency_identity("市卫健委", "city", None, None, None, agency_type="health-commission",
                               name_form="current:卫健委") == ("/市卫健委", None, None)


def test_the_name_of_an_agency_is_ranked_not_first_seen() -> None:
    rank = lambda name, form: ids.agency_name_rank(name, "广州市", form)  # noqa: E731
    assert rank("广州市卫生健康委员会", "current:卫生健康委员会") < rank("市卫健委", "current:卫健委")
    assert rank("市卫健委", "current:卫健委") < rank("市卫生健康委", "current:卫生健康委") < rank("卫生健康委", "current:卫生健康委")
    assert ids.agency_name_rank("国家医保局", ids.NATION, "current:国家医保局").startswith("0")
    assert ids.split_name_form("former:卫生局") == ("former", "卫生局") and ids.split_name_form("x:y") is None


def test_to_simplified_keeps_the_length() -> None:
    s = "國家衛生健康委員會 2023年"
    assert ids.to_simplified(s) == "国家卫生健康委员会 2023年"
    assert len(ids.to_simplified(s)) == len(s)
    assert ids.simplified(" 衛生 健康委 ") == "卫生健康委"


def test_sha256_of_a_file(tmp_path: Path) -> None:
    data = "关于印发\n".encode() * 300_000  # several 1 MiB chunks
    f = tmp_path / "doc.txt"
    f.write_bytes(data)
    assert ids.sha256_file(f) == hashlib.sha256(data).hexdigest() == ids.sha256_bytes(data)
    assert ids.sha256_text("关于印发") == hashlib.sha256("关于印发".encode()).hexdigest()


def test_ids_is_the_bottom_floor() -> None:
    tree = ast.parse(Path(ids.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(m.split(".")[0] == "healthgov" for m in imported)
