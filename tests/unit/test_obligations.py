"""Obliged institutions (``Task.obligations``) through the record, the loader's rows, the read-back
and the RDF form, without an engine: a provider, school or enterprise a task obliges is an
Obligation (typed by the institution-type vocabulary when it can be, its name kept as written
either way), never an agency."""

from __future__ import annotations

import pickle

from rdflib import RDF, Literal

from healthgov.graph.readback import _tasks
from healthgov.graph.schema import load_schema
from healthgov.loaders.batch import DELETE_STATEMENTS
from healthgov.loaders.cypher import Statements
from healthgov.loaders.rows import document_rows
from healthgov.ontology.rdf import HG, HGD, concept, record_to_graph, validate
from healthgov.records import (
    DocumentRecord,
    Jurisdiction,
    Obligation,
    Policy,
    Responsibility,
    Span,
    Task,
)

TEXT = ("一、工作任务\n（一）规范定点医药机构服务行为。定点医药机构应当建立健全医保管理制度，各乡镇卫生院要落实签约服务。"
        "（牵头单位：市医疗保障局）\n")


def record() -> DocumentRecord:
    start = TEXT.index("（一）")
    task = Task(id="pabc/t1", section=None, path=["一", "（一）"], number="（一）", title="规范定点医药机构服务行为。",
                text=TEXT[start:].strip(), span=Span(start, len(TEXT) - 1),
                responsibilities=[Responsibility("市医疗保障局", "lead", "explicit", agency_type="medical-security",
                                                 level="city", span=Span(TEXT.index("市医疗保障局"), TEXT.index("）\n")))],
                obligations=[Obligation("定点医药机构", None, Span(TEXT.index("定点医药机构应当"), TEXT.index("，各乡镇"))),
                             Obligation("各乡镇卫生院", "township-health-centre",
                                        Span(TEXT.index("各乡镇卫生院"), TEXT.index("（牵头")))])
    bare = Task(id="pabc/t2", section=None, path=["一", "（二）"], number="（二）", title="无义务。", text="（二）无义务。",
                span=Span(0, 5))
    policy = Policy(id="pabc", title="佛山市医疗保障局关于加强定点医药机构管理的通知",
                    jurisdiction=Jurisdiction("佛山市", "city", "广东省"))
    return DocumentRecord(source="docs/950_city.txt", sha256="ab" * 32, format="txt", encoding="utf-8", text=TEXT,
                          policy=policy, tasks=[task, bare])


def test_the_record_keeps_obligations_apart_and_omits_none() -> None:
    rec = record()
    tasks = rec.to_dict()["tasks"]
    assert tasks[0]["obligations"][0] == {"name": "定点医药机构", "institution_type": None,
                                          "span": [rec.tasks[0].obligations[0].span.start,
                                                   rec.tasks[0].obligations[0].span.end]}
    assert "obligations" not in tasks[1]  # omitted when empty: plans' output unchanged
    assert [r["name"] for r in tasks[0]["responsibilities"]] == ["市医疗保障局"]
    assert Obligation("\n　　定点 医药机构", None).name == "定点医药机构"  # a layout gap is no part of a name
    assert pickle.loads(pickle.dumps(rec)).tasks[0].obligations == rec.tasks[0].obligations


def test_rows_make_obligation_nodes_never_agencies() -> None:
    s = load_schema()
    rows = document_rows(s, record())
    assert [a["name"] for a in rows.agencies] == ["市医疗保障局"]  # the obligations made no agency
    first, second = rows.obligations
    assert first["task"] == second["task"] == "pabc/t1"
    assert first["props"]["id"] == "pabc/t1/o1" and second["props"]["id"] == "pabc/t1/o2"
    assert first["props"]["name"] == "定点医药机构" and first["props"]["order"] == 0
    assert "institution_type" not in first["props"] and first["institution_type"] is None  # kept without a type
    assert second["props"]["institution_type"] == second["institution_type"] == "township-health-centre"
    assert first["props"]["section_path"] == "一/（一）" and first["props"]["source_path"] == "docs/950_city.txt"
    assert first["props"]["span_start"] == record().tasks[0].obligations[0].span.start


def test_the_loader_writes_and_replaces_them() -> None:
    q = Statements(load_schema())
    assert "CREATE (t)-[:HAS_OBLIGATION]->(o:Obligation) SET o = row.props" in q.obligations
    assert "CREATE (o)-[:INSTITUTION_TYPE]->(c)" in q.obligation_types
    # a replaced document's obligations go before its tasks (found through them)
    assert DELETE_STATEMENTS.index("delete_obligations") < DELETE_STATEMENTS.index("delete_tasks")
    assert "DETACH DELETE o" in q.delete_obligations


def test_read_back_from_the_graph_rows_equals_the_record() -> None:
    """``readback._tasks`` over what the graph holds (the loader's rows, read back as the engine
    returns them, in any order) gives the record's obligations, in order, typed or not."""
    s = load_schema()
    rec = record()
    rows = document_rows(s, rec)
    graph = {
        "tasks": {"pabc": [{"t": r["props"], "section": None} for r in rows.tasks]},
        "responsibilities": {},
        "tags": {},
        "obligations": {"pabc": [{"task": r["task"], "o": r["props"], "concept": r["institution_type"]}
                                 for r in reversed(rows.obligations)]},
    }
    back = {t.id: t for t in _tasks("pabc", graph, s)}
    assert back["pabc/t1"].obligations == rec.tasks[0].obligations
    assert back["pabc/t2"].obligations == []


def test_rdf_types_them_and_conforms() -> None:
    rec = record()
    g = record_to_graph(rec)
    first, second = HGD["obligation/pabc/t1/o1"], HGD["obligation/pabc/t1/o2"]
    assert (first, RDF.type, HG.Obligation) in g and (HGD["task/pabc/t1"], HG.hasObligation, first) in g
    assert (first, HG.name, Literal("定点医药机构", lang="zh")) in g
    assert g.value(first, HG.institutionType) is None  # the vocabulary does not know it: name only
    assert g.value(second, HG.institutionType) == concept("institution-type", "township-health-centre")
    assert len(set(g.subjects(RDF.type, HG.Agency))) == 1 and (first, RDF.type, HG.Agency) not in g
    conforms, report = validate(g)
    assert conforms, report


def test_shapes_refuse_an_unknown_kind_and_an_agency() -> None:
    g = record_to_graph(record())
    first = HGD["obligation/pabc/t1/o1"]
    g.add((first, HG.institutionType, concept("institution-type", "no-such-kind")))
    conforms, report = validate(g)
    assert not conforms and "institution-type vocabulary" in report
    g = record_to_graph(record())
    g.add((first, HG.responsibleAgency, next(iter(g.subjects(RDF.type, HG.Agency)))))
    conforms, report = validate(g)
    assert not conforms and "not an agency" in report


def _obliged(sentence: str) -> list[list[str]]:
    from healthgov.extract.facts.responsibilities.obligations import find_obligations

    return [[name for name, _a, _b in names] for names, _span in find_obligations(sentence)]


def test_what_a_clause_obliges() -> None:
    # made-up sentences, one form each: a modal or a duty verb, an act required of every one,
    # kinds written together, 或 between subjects, a list that also names a body
    assert _obliged("定点医药机构应当加强内部管理。") == [["定点医药机构"]]
    assert _obliged("二级及以上医疗机构负责救治。") == [["二级及以上医疗机构"]]
    assert _obliged("县级及以上公立中医院全部设置治未病科室。") == [["县级及以上公立中医院"]]
    assert _obliged("学校托幼机构要建立防控工作小组。") == [["学校", "托幼机构"]]
    assert _obliged("镇（街道）或社区村委应于24小时内完成组建。") == [["社区村委"]]
    assert _obliged("各镇（街道）教育办和学校要逐条自查。") == [["学校"]]
    # an act said of it, a past, a permission, an object: nothing obliged
    assert _obliged("医疗机构开展健康教育。") == []
    assert _obliged("医疗机构开展了培训。") == []
    assert _obliged("医疗机构可以根据需要开展。") == []
    assert _obliged("加强对医疗机构的监督。") == []
