"""Chunked queries (``// chunked: policies``): pages and streams read a few policies at a time and
give exactly the rows of the whole query run at once, in its order, on the seed corpus in the
real bundled engine; totals from the policies' counts equal the rows counted."""

from __future__ import annotations

import pytest

from healthgov.queries import chunks, registry

PARAMS = [
    {},
    {"role": "any"},
    {"role": "support"},
    {"collective": "false"},
    {"role": "any", "collective": "false"},
    {"jurisdiction": "重庆市,杭州市"},
    {"level": "city"},
    {"agency_type": "health-commission", "role": "any"},
    {"basis": "explicit"},
    {"phrase": "医共体", "role": "any"},
    {"topic": "governance", "role": "any"},
]


@pytest.fixture(params=[(8, 256, 256), (1, 2, 3)], ids=["default-slices", "tiny-slices"])
def slices(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    first, most, stream = request.param
    monkeypatch.setattr(chunks, "FIRST_CHUNK", first)
    monkeypatch.setattr(chunks, "MAX_CHUNK", most)
    monkeypatch.setattr(chunks, "STREAM_CHUNK", stream)


def test_who_leads_is_chunked() -> None:
    assert registry.get("who-leads").chunked == "policies"


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "defaults")
def test_pages_and_stream_are_the_whole_answer(corpus_store, slices, params: dict[str, str]) -> None:
    whole = registry.run(corpus_store, "who-leads", params).rows
    _spec, _shown, total, streamed = registry.stream(corpus_store, "who-leads", params)
    assert list(streamed) == whole
    if total is not None:
        assert total == len(whole)
    n = len(whole)
    for offset, limit in [(0, 100), (0, 1), (3, 7), (max(n - 5, 0), 100), (n, 10), (n + 50, 10), (0, 0), (2, None)]:
        got = registry.run(corpus_store, "who-leads", params, window=(offset, limit))
        assert got.total == n, (offset, limit)
        assert got.page(offset, limit) == whole[offset: None if limit is None else offset + limit], (offset, limit)


def test_the_default_total_comes_from_the_policies_counts(corpus_store) -> None:
    spec = registry.get("who-leads")
    for params in ({}, {"role": "any"}, {"collective": "false", "role": "support"}, {"jurisdiction": "重庆市"}):
        values = registry.bind(spec.params, params)
        order = chunks.policy_order(corpus_store, values, 60)
        counted = chunks.counted_total(spec, values, order)
        assert counted is not None and counted == len(registry.run(corpus_store, "who-leads", params).rows)
    # A filter the counts cannot answer for is counted by reading the rows.
    values = registry.bind(spec.params, {"basis": "explicit"})
    assert chunks.counted_total(spec, values, chunks.policy_order(corpus_store, values, 60)) is None


def test_a_page_reads_only_the_policies_it_needs(corpus_store, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[list[str]] = []
    original = registry._chunk_rows  # noqa: SLF001

    def recording(store, spec, values, timeout, ids):
        read.append(list(ids))
        return original(store, spec, values, timeout, ids)

    monkeypatch.setattr(registry, "_chunk_rows", recording)
    monkeypatch.setattr(chunks, "FIRST_CHUNK", 1)
    values = registry.bind(registry.get("who-leads").params, {"role": "any"})
    order = chunks.policy_order(corpus_store, values, 60)
    assert len(order) > 3  # else the test shows nothing
    page = registry.run(corpus_store, "who-leads", {"role": "any"}, window=(0, 1))
    assert len(page.rows) == 1 and sum(len(ids) for ids in read) < len(order)


LISTED = [("agencies", "agencies", {}), ("agencies", "agencies", {"jurisdiction": "重庆市,杭州市"}),
          ("agencies", "agencies", {"agency_type": "health-commission"}),
          ("agencies", "agencies", {"jurisdiction": "全国", "agency_type": "finance"}),
          # policies pages by its own policies' ids: a page counts the tasks of its policies only.
          ("policies", "documents", {}), ("policies", "documents", {"loaded": "true"}),
          ("policies", "documents", {"loaded": "false"}), ("policies", "documents", {"level": "city"}),
          ("policies", "documents", {"jurisdiction": "重庆市,杭州市", "loaded": "true"})]


@pytest.mark.parametrize("name, kind, params", LISTED,
                         ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}={x}" for k, x in v.items()) or "defaults")
def test_listed_pages_are_the_whole_answer(corpus_store, slices, name: str, kind: str, params: dict[str, str]) -> None:
    # Queries listed by item id (one row per item): with every parameter at its default a page is
    # the engine's top ids after the offset, otherwise a slice of the filtered listing.
    assert registry.get(name).chunked == kind
    whole = registry.run(corpus_store, name, params).rows
    assert whole or params  # the defaults list something, else this shows nothing
    _spec, _shown, total, streamed = registry.stream(corpus_store, name, params)
    assert total == len(whole) and list(streamed) == whole
    n = len(whole)
    for offset, limit in [(0, 100), (0, 1), (3, 7), (max(n - 5, 0), 100), (n, 10), (0, 0), (2, None)]:
        got = registry.run(corpus_store, name, params, window=(offset, limit))
        assert got.total == n and got.page(offset, limit) == whole[offset: None if limit is None else offset + limit]


SEARCHES = [{"phrase": "医共体"}, {"phrase": "醫療"}, {"phrase": "卫生", "jurisdiction": "重庆市,杭州市"},
            {"phrase": "不会出现在任何文件里的短语"}]


@pytest.mark.parametrize("params", SEARCHES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_search_pages_are_the_whole_answer(corpus_store, slices, params: dict[str, str]) -> None:
    # search is chunked by policies, its total counted by counts/search.cypher (not by the rows).
    assert registry.get("search").chunked == "policies"
    whole = registry.run(corpus_store, "search", params).rows
    _spec, _shown, _total, streamed = registry.stream(corpus_store, "search", params)
    assert list(streamed) == whole
    n = len(whole)
    for offset, limit in [(0, 100), (0, 1), (3, 7), (max(n - 5, 0), 100), (n, 10), (n + 50, 10), (0, 0), (2, None)]:
        got = registry.run(corpus_store, "search", params, window=(offset, limit))
        assert got.total == n, (offset, limit)
        assert got.page(offset, limit) == whole[offset: None if limit is None else offset + limit], (offset, limit)


def test_a_filter_free_search_of_a_large_graph_estimates_its_total_and_says_so(corpus_store, monkeypatch) -> None:
    # Past ESTIMATE_ABOVE tasks a filter-free search would count every task's text for its total;
    # it estimates it from a sample instead. The seeds are small, so the threshold is lowered here.
    params = {"phrase": "卫生"}
    whole = registry.run(corpus_store, "search", params).rows
    assert len(whole) > 10
    monkeypatch.setattr(registry, "ESTIMATE_ABOVE", 0)
    page = registry.run(corpus_store, "search", params, window=(0, 5))
    assert page.total_estimated and page.rows == whole[:5]
    # A sample of every task is the count itself.
    assert page.total == len(whole)
    # A page that reads to the last row knows the total; places narrow the scan, so they count.
    last = registry.run(corpus_store, "search", params, window=(len(whole) - 2, 100))
    assert not last.total_estimated and last.total == len(whole) and last.rows == whole[-2:]
    placed = registry.run(corpus_store, "search", {**params, "jurisdiction": "重庆市"}, window=(0, 5))
    assert not placed.total_estimated
    # A poor estimate is never below the rows already read, and is flagged.
    monkeypatch.setattr(registry, "_estimate", lambda *_args: 1)
    rough = registry.run(corpus_store, "search", params, window=(3, 4))
    assert rough.total_estimated and rough.rows == whole[3:7] and rough.total >= 7
    # No match in the sample (a rare phrase): counted, since its page would read every policy.
    monkeypatch.undo()
    monkeypatch.setattr(registry, "ESTIMATE_ABOVE", 0)
    rare = registry.run(corpus_store, "search", {"phrase": "不会出现在任何文件里的短语"}, window=(0, 5))
    assert not rare.total_estimated and rare.total == 0 and rare.rows == []
