// The `explain` command: load the spec, run the explain logic, render text or JSON and decide the
// exit code (0 found, 1 not found / not linked / warehouse missing, 2 usage). cli/main.ts prints
// the result; nothing here exits the process.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDiagnostics } from '../diagnostics/format.js';
import { generate } from '../pipeline.js';
import {
  explain,
  type Chain,
  type Evidence,
  type ExplainResult,
  type Identifier,
  type Lookup,
  type Normalization,
  type SharedChain,
} from './explain.js';

/** Identifiers listed inline before "+N more". */
const LIST_MAX = 10;

export interface ExplainCommandOptions {
  type?: string;
  to?: string;
  spec: string;
  project: string;
  /** duckdb or postgres; default: the spec's warehouse.type. */
  target?: string;
  json?: boolean;
}

export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runExplainCommand(value: string, opts: ExplainCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<CommandOutput> {
  const specPath = resolve(opts.spec);
  if (!existsSync(specPath)) {
    return fail(1, `error[C360-E001]: spec file not found: ${opts.spec}\n  = hint: run explain where c360.yml is, or pass --spec <path>`);
  }
  const text = readFileSync(specPath, 'utf8');
  const g = generate(text, opts.spec);
  if (!g.spec || !g.plan) {
    return fail(1, formatDiagnostics(g.diagnostics, new Map([[opts.spec, text]]), { color: false }));
  }
  if (opts.target !== undefined && opts.target !== 'duckdb' && opts.target !== 'postgres') {
    return fail(2, `error: --target must be duckdb or postgres (the targets of the generated profiles.yml), got ${JSON.stringify(opts.target)}`);
  }
  const result = await explain(g.spec, g.plan, resolve(opts.project), { value, type: opts.type, to: opts.to, target: opts.target }, env);
  const code = exitCode(result);
  if (opts.json) {
    return { code, stdout: JSON.stringify({ ...result, exitCode: code }, null, 2) + '\n', stderr: '' };
  }
  const rendered = renderText(result, opts.project);
  return code === 0 ? { code, stdout: rendered, stderr: '' } : { code, stdout: '', stderr: rendered.trimEnd() };
}

const fail = (code: number, stderr: string): CommandOutput => ({ code, stdout: '', stderr });

export function exitCode(r: ExplainResult): number {
  switch (r.status) {
    case 'found':
      return 0;
    case 'usage':
    case 'ambiguous':
      return 2;
    default:
      return 1;
  }
}

const id = (i: Identifier) => `${i.idType} ${i.idValue}`;
/** The entity an id column names: customer_id -> customer. */
const entityOf = (entityIdColumn: string) => entityIdColumn.replace(/_id$/, '');
const quote = (s: string) => JSON.stringify(s);

function reasonText(n: Normalization): string {
  switch (n.reason) {
    case 'empty':
      return n.normalized === null || n.normalized === '' ? 'empty or not a valid value after normalising' : 'empty';
    case 'junk':
      return `${quote(n.normalized ?? '')} is junk (built-in junk list or all zeros): staging nulls it, it never stitches`;
    case 'excluded_value':
      return `${quote(n.normalized ?? '')} is excluded by the spec (exclude_values: ${quote(n.detail ?? '')})`;
    case 'excluded_regex':
      return `${quote(n.normalized ?? '')} is excluded by the spec (exclude_regex: ${quote(n.detail ?? '')})`;
    default:
      return '';
  }
}

function renderLookup(q: Lookup, lines: string[]) {
  for (const n of q.normalizations) {
    const head = `  as ${n.idType.padEnd(12)} (${n.normalizer})`;
    if (n.value === null) lines.push(`${head}: ${reasonText(n)}`);
    else lines.push(`${head}: ${quote(n.value)} ${n.found ? 'found' : 'not in the id graph'}`);
  }
}

function renderEvidence(evidence: Evidence[], lines: string[], indent = '    ') {
  if (evidence.length === 0) {
    lines.push(`${indent}└ linked (no staging row found any more: the data changed since the last dbt build?)`);
  }
  evidence.forEach((e, i) => {
    const cols = e.columns.map(([k, v]) => `${k}=${v ?? 'null'}`).join(', ');
    const more = e.rows > 1 ? `, +${e.rows - 1} more row${e.rows > 2 ? 's' : ''}` : '';
    lines.push(`${indent}${i === 0 ? '└ via' : '  and'} ${e.input} at ${e.occurredAt ?? '(no timestamp)'}${cols ? ` (${cols}${more})` : more ? ` (${more.slice(2)})` : ''}`);
  });
}

function renderChain(c: Chain, lines: string[]) {
  if (c.links.length === 0) return;
  lines.push(`  ${id(c.links[0].from)}`);
  for (const l of c.links) {
    renderEvidence(l.evidence, lines);
    lines.push(`  ${id(l.to)}`);
  }
}

/** A chain through shared identifiers: each identifier with its customer (or the rule it breaks), each step's rows. */
function renderSharedChain(c: SharedChain, entityIdColumn: string, lines: string[]) {
  const dropped = c.steps.filter((s) => s.kind === 'dropped_link').length;
  const n = c.shared.length;
  lines.push(`  shortest chain through shared identifiers: ${dropped} dropped link${dropped === 1 ? '' : 's'}, ${n} shared identifier${n === 1 ? '' : 's'}`);
  const detail = new Map(c.shared.map((x) => [x.nodeId, x.detail]));
  const who = (i: Identifier & { entityId: string }) =>
    `    ${id(i)}  (${detail.has(i.nodeId) ? `shared: ${detail.get(i.nodeId)}` : `${entityIdColumn} ${i.entityId}`})`;
  lines.push(who(c.steps[0].from));
  for (const s of c.steps) {
    if (s.kind === 'dropped_link') renderEvidence(s.evidence, lines, '      ');
    else lines.push(`      └ same ${entityOf(entityIdColumn)}, through the links it kept (c360-gen explain ${quote(s.from.idValue)} --to ${quote(s.to.idValue)} shows them)`);
    lines.push(who(s.to));
  }
}

const listed = <T>(items: T[], total: number, show: (t: T) => string) =>
  items.slice(0, LIST_MAX).map(show).join(', ') + (total > Math.min(items.length, LIST_MAX) ? `, +${total - Math.min(items.length, LIST_MAX)} more` : '');

/** Cluster members no chain of kept links reaches (a stale build), and why. */
function renderUnlinked(r: Extract<ExplainResult, { status: 'found' }>, lines: string[]) {
  const them = r.unlinked.length === 1 ? 'it' : 'them';
  lines.push(`no chain of kept links to ${listed(r.unlinked, r.unlinked.length, id)}: the links that joined ${them} are no longer kept`);
  lines.push('  (an identifier became shared after it stitched, or the id graph is older than the models before it); dbt build --full-refresh recomputes the clusters');
}

export function renderText(r: ExplainResult, projectLabel: string): string {
  const lines: string[] = [];
  switch (r.status) {
    case 'usage':
      lines.push(`error: ${r.message}`);
      break;
    case 'no_warehouse':
      lines.push(`error: no built warehouse to explain from: ${r.reason}`);
      if (r.buildCommand) {
        const them = r.missingModels && r.missingModels.length === 1 ? 'it' : 'them';
        lines.push(`  = hint: build ${them} in ${projectLabel}: ${r.buildCommand} (builds every model explain reads)`);
      } else {
        lines.push(
          r.dbPath.startsWith('postgres ')
            ? `  = hint: the C360_PG_* variables are the postgres target's connection; run dbt build --target postgres in ${projectLabel} first`
            : `  = hint: run dbt build in ${projectLabel} first (or set C360_DUCKDB_PATH to the DuckDB file it built)`,
        );
      }
      break;
    case 'not_found': {
      const what = r.which === 'to' ? `--to ${quote(r.query.value)}` : quote(r.query.value);
      lines.push(`error: ${what} is not an identifier in ${r.idGraphModel}`);
      renderLookup(r.query, lines);
      const nulled = r.query.normalizations.filter((n) => n.reason === 'junk' || n.reason === 'excluded_value' || n.reason === 'excluded_regex');
      if (nulled.length > 0 && nulled.length === r.query.normalizations.filter((n) => n.reason !== 'empty').length) {
        lines.push('  = hint: junk and excluded values are nulled in staging, so they never join a cluster');
      } else {
        lines.push(`  = hint: check the spelling and --type; if the data changed, run dbt build in ${projectLabel} again`);
      }
      break;
    }
    case 'ambiguous': {
      const what = r.which === 'to' ? `--to ${quote(r.query.value)}` : quote(r.query.value);
      lines.push(`error: ${what} is an identifier of several types; say which with ${r.which === 'to' ? 'a more specific value' : '--type'}:`);
      for (const c of r.candidates) lines.push(`  --type ${c.idType.padEnd(12)} ${c.idValue}  (in ${c.entityId})`);
      break;
    }
    case 'not_linked': {
      const entities = `different ${entityOf(r.entityIdColumn)}s`;
      const sep = r.separation;
      const pair = `${id(r.identifier)} and ${id(r.to)} are ${entities}`;
      if (r.cutLoose.length > 0) {
        lines.push(`${pair}: the limit guards cut loose identifiers on every chain between them`);
      } else if (sep?.by === 'level') {
        lines.push(`${pair}: limit level ${sep.level} split the cluster that held both, dropping its links touching ${sep.dropTypes.join(', ')}`);
      } else if (sep?.by === 'shared_identifier') {
        lines.push(`${pair}: they are linked only through shared identifiers, whose links the guards dropped`);
      } else if (r.sharedRule && r.sharedSearch?.complete === false) {
        lines.push(
          `${pair}: no chain of identifiers links them, unless through shared identifiers: they have more than ${r.sharedSearch.links} links, too many for explain to search (the links are in ${r.auditModel})`,
        );
      } else if (r.sharedRule && r.sharedSearch === null) {
        lines.push(`${pair}: no chain of identifiers links them, unless through several shared identifiers (their links are in ${r.auditModel})`);
      } else if (r.sharedRule) {
        lines.push(`${pair}: not linked by any chain of identifiers, not even through shared identifiers`);
      } else {
        lines.push(`${pair}: not linked by any chain of identifiers`);
      }
      lines.push(`  ${id(r.identifier).padEnd(40)} ${r.entityIdColumn} ${r.identifier.entityId}`);
      lines.push(`  ${id(r.to).padEnd(40)} ${r.entityIdColumn} ${r.to.entityId}`);
      if (r.cutLoose.length > 0) {
        lines.push(`  cut loose from the cluster that held both: ${listed(r.cutLoose, r.cutLooseTotal, (c) => `${id(c)} (${c.cutReason})`)}`);
        lines.push(`  (their links are in ${r.auditModel}; what the cut left splits along the links that remain)`);
      } else if (sep?.by === 'level') {
        const broke = sep.reason ? `broke ${sep.reason}: ${sep.detail}` : 'breaks no limit now (the build is older than its data?)';
        lines.push(`  the cluster that held both (${sep.clusterSize} identifiers) ${broke}; ${sep.model} re-ran it without those links`);
        lines.push(`  every chain between them that the earlier passes kept touched ${sep.dropTypes.join(' or ')}: ${listed(sep.dropped, sep.droppedTotal, id)}`);
        lines.push(`  (the links dropped are in ${r.auditModel}${sep.reason ? ` with reason ${sep.reason}` : ''})`);
      } else if (sep?.by === 'shared_identifier') {
        if (sep.shared.length > 0) lines.push(`  shared, in or linked to both: ${listed(sep.shared, sep.sharedTotal, (x) => `${id(x)} (${x.detail})`)}`);
        if (sep.chain) renderSharedChain(sep.chain, r.entityIdColumn, lines);
        lines.push(`  (their links are in ${r.auditModel} with reason shared_identifier)`);
      }
      break;
    }
    case 'found': {
      lines.push(`${quote(r.query.value)} is ${id(r.identifier)}`);
      const n = r.query.normalizations.find((x) => x.idType === r.identifier.idType);
      if (n) lines.push(`  normalised with ${n.normalizer}`);
      lines.push('');
      const c = r.cluster;
      lines.push(`${r.entityIdColumn} ${c.entityId}: ${c.size} identifier${c.size === 1 ? '' : 's'}, oldest first`);
      const tw = Math.max(...c.identifiers.map((i) => i.idType.length));
      const vw = Math.min(48, Math.max(...c.identifiers.map((i) => i.idValue.length)));
      for (const i of c.identifiers) {
        const mark = i.nodeId === r.identifier.nodeId ? '>' : ' ';
        lines.push(
          `  ${mark} ${i.idType.padEnd(tw)}  ${i.idValue.padEnd(vw)}  first seen ${i.firstSeenAt ?? '(never dated)'}${i.oldest ? `  (oldest: the ${r.entityIdColumn} is named after it)` : ''}`,
        );
      }
      lines.push('');
      if (r.edgeCapExceeded) {
        lines.push(`the cluster has ${r.edges} edges, more than explain walks; no chains computed (look at its size in the largest-clusters model)`);
      } else if (c.size === 1) {
        lines.push('no links: the identifier is not linked to any other');
      } else if (r.to) {
        if (r.to.nodeId === r.identifier.nodeId) lines.push('--to is the same identifier');
        else if (r.chains.length > 0) {
          const chain = r.chains[0];
          lines.push(`shortest chain to ${id(r.to)}: ${chain.links.length} link${chain.links.length === 1 ? '' : 's'}`);
          renderChain(chain, lines);
        } else renderUnlinked(r, lines);
      } else {
        if (r.chains.length > 0) {
          lines.push(
            `shortest chains to the other identifiers${r.chainsTotal > r.chains.length ? ` (nearest ${r.chains.length} of ${r.chainsTotal}; use --to for another)` : ''}:`,
          );
          r.chains.forEach((ch, i) => {
            if (i > 0) lines.push('');
            renderChain(ch, lines);
          });
        }
        if (r.unlinked.length > 0) {
          if (r.chains.length > 0) lines.push('');
          renderUnlinked(r, lines);
        }
      }
      break;
    }
  }
  return lines.join('\n') + '\n';
}
