// How many of the first $sample tasks the engine reads contain the phrase: with the number of
// tasks, an estimate of search's total where counting every task's text would take seconds
// (healthgov.queries.registry, ESTIMATE_ABOVE tasks; the answer says it is an estimate).
// population: Task
MATCH (t:Task)
WITH t
LIMIT $sample
RETURN count(t) AS scanned,
       sum(CASE WHEN coalesce(t.text_simplified, t.text) CONTAINS $phrase OR t.text CONTAINS $phrase_raw THEN 1 ELSE 0 END) AS matched
