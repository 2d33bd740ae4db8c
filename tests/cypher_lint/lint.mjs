// Lints Cypher statements with Neo4j's own language service (@neo4j-cypher/language-support:
// the Neo4j grammar and semantic analysis, run as Cypher 5, the language Neo4j 5 speaks).
//
// With no arguments (what tests/test_cypher_lint.py uses):
//   stdin:  a JSON list of statements (strings).
//   stdout: a JSON list, one entry per statement in the same order:
//           {"statement": <text>, "diagnostics": [{"severity", "message", "start", "end", "deprecated"}]}
//           severity is "error", "warning", "information" or "hint"; start/end are offsets
//           (UTF-16 code units) into the statement.
// With file arguments (by hand): each *.jsonl file is a HEALTHGOV_CYPHER_LOG (one statement per
//   line), any other file one statement; prints "file:line:col: severity: message" per
//   diagnostic and exits 1 when any is an error or a deprecation.
//
// Parameters are never declared here (the statements are checked alone, with no values), so the
// "Parameter $x is not defined." diagnostics are dropped; everything else is reported.
import { readFileSync } from 'node:fs';
import { lintCypherQuery, isNotParamError } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
// DiagnosticTag.Deprecated in the LSP types the diagnostics follow.
const DEPRECATED_TAG = 2;
// Say which language the statements are checked as, instead of relying on the package's default.
const SCHEMA = { defaultLanguage: 'CYPHER 5' };

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function lint(statement) {
  const { diagnostics } = lintCypherQuery(statement, SCHEMA);
  return diagnostics.filter(isNotParamError).map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    start: d.offsets.start,
    end: d.offsets.end,
    deprecated: (d.tags ?? []).includes(DEPRECATED_TAG) || /\bdeprecated\b/i.test(d.message),
  }));
}

function fromFiles(paths) {
  const items = [];
  for (const path of paths) {
    const text = readFileSync(path, 'utf8');
    if (path.endsWith('.jsonl')) {
      text.split('\n').forEach((line, i) => {
        if (line.trim()) items.push({ where: `${path}:${i + 1}`, statement: JSON.parse(line).statement });
      });
    } else {
      items.push({ where: path, statement: text });
    }
  }
  return items;
}

function lineCol(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1).length + 1}`;
}

const args = process.argv.slice(2);
if (args.length > 0) {
  let failed = 0;
  const seen = new Set();
  for (const { where, statement } of fromFiles(args)) {
    if (seen.has(statement)) continue;
    seen.add(statement);
    for (const d of lint(statement)) {
      if (d.severity === 'error' || d.deprecated) failed += 1;
      const tag = d.deprecated ? ' (deprecated)' : '';
      process.stdout.write(`${where}:${lineCol(statement, d.start)}: ${d.severity}${tag}: ${d.message}\n`);
    }
  }
  process.stdout.write(`${seen.size} statements, ${failed} errors or deprecations\n`);
  process.exit(failed > 0 ? 1 : 0);
}

const statements = JSON.parse(await readStdin());
if (!Array.isArray(statements) || statements.some((s) => typeof s !== 'string')) {
  process.stderr.write('lint.mjs: stdin must be a JSON list of strings\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify(statements.map((statement) => ({ statement, diagnostics: lint(statement) }))));
process.stdout.write('\n');
