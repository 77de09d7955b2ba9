// `c360-gen explain`: why is an identifier in its cluster? Reads what the generated project built
// (the id graph, the stitch edges, the limit guards' level and resolved models, the staging rows)
// and returns a result object; chains use only the links the final resolution kept. Printing
// and exit codes are the command's job (./command.ts). No process.exit, no printing here.

import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { EdgePairPlan, GuardLevelPlan, IdColumnPlan, ProjectPlan, StagingPlan } from '../plan/types.js';
import type { IdTypeSpec, Spec } from '../spec/types.js';
import { withDuckDb, type Row } from '../warehouse/duckdb.js';
import { describePg, pgConnection, withPostgres } from '../warehouse/postgres.js';
import { adjacency, bfs, nearestTargets, pathTo, type Edge } from './graph.js';
import { cleanId, describeNormalizer, type CleanReason } from './normalize.js';
import { sqlIdent, sqlLiteral } from './sql.js';

export const DEFAULT_CHAIN_LIMIT = 20;
export const DEFAULT_EDGE_CAP = 100_000;
/** At most this many links of shared identifiers are read to find a chain through them. */
export const SHARED_LINK_CAP = 200_000;
/** Raw columns shown per evidence row. */
export const EVIDENCE_COLUMNS = 4;

export interface Identifier {
  idType: string;
  idValue: string;
  firstSeenAt: string | null;
  nodeId: number;
}

export interface ClusterIdentifier extends Identifier {
  /** The oldest identifier of the cluster: the canonical id is a hash of it. */
  oldest: boolean;
}

/** How the value given on the command line reads as one id type. */
export interface Normalization {
  idType: string;
  normalizer: string;
  /** The normalised value before junk / exclusion checks. */
  normalized: string | null;
  /** What the staging models hold (null: the value never stitches as this type). */
  value: string | null;
  reason: CleanReason | null;
  detail?: string;
  /** The value is in the id graph as this type. */
  found: boolean;
}

export interface Evidence {
  input: string;
  occurredAt: string | null;
  /** The first non-identifier columns of the earliest row, as text. */
  columns: [string, string | null][];
  /** Rows of the input that carry both identifiers. */
  rows: number;
}

export interface Link {
  from: Identifier;
  to: Identifier;
  /** One entry per input that links the two, earliest first; empty when no row is found any more. */
  evidence: Evidence[];
}

export interface Chain {
  target: Identifier;
  links: Link[];
}

/** An identifier the final cut of the limit guards made a singleton (cut_reason of the resolved components). */
export interface CutLoose extends Identifier {
  cutReason: string;
}

/** An identifier the shared rule stopped from stitching (a row of the shared-identifiers model). */
export interface SharedBetween extends Identifier {
  /** The rule it breaks, in words (e.g. "linked to 4 identifiers (shared_identifier_max_links 3)"). */
  detail: string;
}

/**
 * How the guards kept two identifiers of different customers apart, as far as the warehouse tables
 * tell (the final cut is reported by cutLoose):
 * - level: both were in one cluster after the first pass (and the shared re-split) and limit level
 *   `level` separated them: the cluster broke a limit and lost the links touching `dropTypes`, so
 *   every chain of kept links between them touched an identifier of those types (`dropped`).
 * - shared_identifier: they were never in one cluster, and shared identifiers (whose links the
 *   guards drop) are linked to both customers, or are one of the two.
 */
export type Separation =
  | {
      by: 'level';
      level: number;
      model: string;
      dropTypes: string[];
      /** Identifiers in the cluster that held both, before that level. */
      clusterSize: number;
      /** The limit it broke ('limit:<type>' or 'max_cluster_size') and how, or null when it breaks none now (a stale build). */
      reason: string | null;
      detail: string | null;
      /** Identifiers of the dropped types in that cluster, oldest first (at most the chain limit). */
      dropped: Identifier[];
      droppedTotal: number;
    }
  | {
      by: 'shared_identifier';
      /** Shared identifiers in or linked to both customers (empty when the chain needs several). */
      shared: SharedBetween[];
      sharedTotal: number;
      /** One shortest chain between the two through the links of shared identifiers, or null when none was searched. */
      chain: SharedChain | null;
    };

/**
 * A chain from one identifier to the other in which every link between two clusters is a link of a
 * shared identifier (the shared rule dropped it): read from the first identifier, each step is such
 * a dropped link, or two identifiers of one cluster the shared rule left whole (the chain runs
 * through its kept links; explain one --to the other shows them).
 */
export interface SharedChain {
  steps: SharedChainStep[];
  /** The shared identifiers on the chain, in chain order. */
  shared: SharedBetween[];
}

export interface SharedChainStep {
  kind: 'dropped_link' | 'same_cluster';
  from: Identifier & { entityId: string };
  to: Identifier & { entityId: string };
  /** The staging rows of a dropped link (empty for same_cluster). */
  evidence: Evidence[];
}

/** How the search for a chain through shared identifiers went (null: no shared rule, or not needed). */
export interface SharedSearch {
  /** Links of shared identifiers read (the cap when there were more). */
  links: number;
  /** False when there were more than the cap (SHARED_LINK_CAP): no chain was searched. */
  complete: boolean;
}

export interface Cluster {
  entityId: string;
  size: number;
  identifiers: ClusterIdentifier[];
}

export interface Lookup {
  value: string;
  normalizations: Normalization[];
}

export type ExplainResult =
  | {
      status: 'found';
      entityIdColumn: string;
      query: Lookup;
      identifier: Identifier;
      cluster: Cluster;
      /** The --to identifier, when one was given. */
      to: Identifier | null;
      chains: Chain[];
      /** Identifiers there were chains to (more than `chains.length` when capped). */
      chainsTotal: number;
      /**
       * Identifiers asked about (the --to one, or every other one of the cluster) that no chain of
       * kept links reaches. A consistent build has none (every cluster is connected by the links
       * the guards kept, the final cut re-splits what it leaves); they mean the id graph is older
       * than the models before it, or the incremental first pass still holds a link that is gone.
       */
      unlinked: Identifier[];
      /** Kept links inside the cluster. */
      edges: number;
      /** The cluster had more edges than the cap: no chains were computed. */
      edgeCapExceeded: boolean;
    }
  | { status: 'not_found'; which: 'value' | 'to'; query: Lookup; idGraphModel: string; projectDir: string }
  | {
      status: 'ambiguous';
      which: 'value' | 'to';
      query: Lookup;
      candidates: (Identifier & { entityId: string })[];
    }
  | {
      status: 'not_linked';
      entityIdColumn: string;
      identifier: Identifier & { entityId: string };
      to: Identifier & { entityId: string };
      /**
       * When the limit guards stitched both into one cluster and the final cut split it: the
       * identifiers it cut loose from that cluster, oldest first (at most the chain limit); every
       * chain between the two ran through one of them. Empty otherwise.
       */
      cutLoose: CutLoose[];
      cutLooseTotal: number;
      /** When the final cut did not separate them: the level or the shared identifiers that did, else null. */
      separation: Separation | null;
      /** Some identifier can be shared. */
      sharedRule: boolean;
      /** The search for a chain through shared identifiers, when the shared rule is on and no limit level separated them. */
      sharedSearch: SharedSearch | null;
      /** The audit model that lists the links the guards dropped (when some guard is set), else null. */
      auditModel: string | null;
    }
  | {
      status: 'no_warehouse';
      dbPath: string;
      projectDir: string;
      reason: string;
      /** Models explain reads that the warehouse lacks (absent when there is no warehouse at all). */
      missingModels?: string[];
      /** The dbt command that builds them (and everything they read). */
      buildCommand?: string;
    }
  | { status: 'usage'; message: string };

/** What explain reads through: a warehouse client, the relation of a model in the schema the project
 * built into, and the SQL dialect (DuckDB or PostgreSQL; the queries are portable but one). */
export interface ExplainDb {
  query(sql: string): Promise<Row[]>;
  rel(model: string): string;
  dialect: 'duckdb' | 'postgres';
}

/** The ExplainDb of a warehouse client whose models live in `schema`. */
export function explainDb(client: { query(sql: string): Promise<Row[]> }, schema: string, dialect: ExplainDb['dialect']): ExplainDb {
  return { query: (sql) => client.query(sql), rel: (model) => `${sqlIdent(schema)}.${sqlIdent(model)}`, dialect };
}

export interface ExplainOptions {
  value: string;
  type?: string;
  to?: string;
  chainLimit?: number;
  edgeCap?: number;
  /** Links of shared identifiers read at most to search a chain through them (default SHARED_LINK_CAP). */
  sharedLinkCap?: number;
  /** The warehouse to read: the profiles.yml target (default: the spec's warehouse.type). */
  target?: 'duckdb' | 'postgres';
}

/** The DuckDB file the project's profiles.yml points at: $C360_DUCKDB_PATH or warehouse.path, from the project folder. */
export function warehousePath(plan: ProjectPlan, projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const p = env.C360_DUCKDB_PATH || plan.warehouse.path;
  return isAbsolute(p) ? p : resolve(projectDir, p);
}

/** Open the project's warehouse read-only and explain. */
export async function explain(
  spec: Spec,
  plan: ProjectPlan,
  projectDir: string,
  opts: ExplainOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExplainResult> {
  const usage = checkUsage(spec, opts);
  if (usage) return usage;
  const target = opts.target ?? plan.warehouse.type;
  const needsBuild = (where: string, missing: string[]) =>
    ({
      status: 'no_warehouse',
      dbPath: where,
      projectDir,
      reason: `${where} has no ${missing.join(', ')}`,
      missingModels: missing,
      // the id graph reads every other model explain needs
      buildCommand: `dbt build${target === 'duckdb' ? '' : ` --target ${target}`} --select +${plan.identity.idGraphModel}`,
    }) as const;
  if (target === 'postgres') {
    const conn = pgConnection(env, plan.warehouse.schema);
    const where = describePg(conn);
    try {
      return await withPostgres(conn, async (client) => {
        const db = explainDb(client, conn.schema, 'postgres');
        const missing = await missingModels(db, plan, conn.schema);
        return missing.length > 0 ? needsBuild(where, missing) : explainInDb(db, spec, plan, opts, projectDir);
      });
    } catch (e) {
      return { status: 'no_warehouse', dbPath: where, projectDir, reason: `cannot read ${where}: ${(e as Error).message.split('\n')[0]}` };
    }
  }
  const dbPath = warehousePath(plan, projectDir, env);
  if (!existsSync(dbPath)) {
    return { status: 'no_warehouse', dbPath, projectDir, reason: `${dbPath} does not exist` };
  }
  try {
    return await withDuckDb(dbPath, async (client) => {
      const db = explainDb(client, 'main', 'duckdb');
      const missing = await missingModels(db, plan, 'main');
      return missing.length > 0 ? needsBuild(dbPath, missing) : explainInDb(db, spec, plan, opts, projectDir);
    });
  } catch (e) {
    return { status: 'no_warehouse', dbPath, projectDir, reason: `cannot read ${dbPath}: ${(e as Error).message.split('\n')[0]}` };
  }
}

function checkUsage(spec: Spec, opts: ExplainOptions): ExplainResult | null {
  if (opts.type !== undefined && !spec.idTypes.some((t) => t.name === opts.type)) {
    return { status: 'usage', message: `unknown id type '${opts.type}'; the spec has: ${spec.idTypes.map((t) => t.name).join(', ')}` };
  }
  for (const [what, v] of [['the value', opts.value], ['--to', opts.to]] as const) {
    if (v !== undefined && v.includes('\u0000')) return { status: 'usage', message: `${what} cannot contain a NUL character` };
  }
  return null;
}

/**
 * The models explain reads: the id graph, the stitch edges and, with guards, what tells how they
 * separated two identifiers (the first pass, the shared identifiers and the edges, the shared
 * re-split, the level, final-cut and resolved models).
 */
export function modelsRead(plan: ProjectPlan): string[] {
  const g = plan.identity.guards;
  return [
    plan.identity.idGraphModel,
    plan.identity.stitchSourceModel,
    ...(g.levels.length > 0 ? [plan.identity.firstPassComponentsModel] : []),
    ...(g.sharedRule && plan.identity.sharedIdentifiersModel ? [plan.identity.sharedIdentifiersModel, plan.identity.edgesModel] : []),
    ...(g.unsharedModel ? [g.unsharedModel] : []),
    ...g.levels.map((l) => l.model),
    // the resolved components are a view over the final cut and the re-split after it
    ...[g.finalCutModel, g.afterCutModel, g.resolvedModel].filter((m): m is string => m !== null),
  ];
}

async function missingModels(db: ExplainDb, plan: ProjectPlan, schema: string): Promise<string[]> {
  const wanted = modelsRead(plan);
  const rows = await db.query(
    `select table_name from information_schema.tables where table_schema = ${sqlLiteral(schema)} and table_name in (${wanted.map(sqlLiteral).join(', ')})`,
  );
  const have = new Set(rows.map((r) => String(r.table_name)));
  return wanted.filter((w) => !have.has(w));
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The explain logic against an open warehouse (tests call it directly). */
export async function explainInDb(
  db: ExplainDb,
  spec: Spec,
  plan: ProjectPlan,
  opts: ExplainOptions,
  projectDir = '.',
): Promise<ExplainResult> {
  const usage = checkUsage(spec, opts);
  if (usage) return usage;
  const idGraph = db.rel(plan.identity.idGraphModel);
  const entityCol = sqlIdent(plan.entityIdColumn);
  const types = opts.type ? spec.idTypes.filter((t) => t.name === opts.type) : spec.idTypes;

  const lookup = async (value: string, among: IdTypeSpec[]) => {
    const normalizations: Normalization[] = among.map((t) => normalizationOf(value, t));
    const wanted = normalizations.filter((n) => n.value !== null);
    const rows = wanted.length === 0 ? [] : await db.query(
      `select id_type, id_value, cast(first_seen_at as varchar) as first_seen_at, node_id, ${entityCol} as entity_id
       from ${idGraph}
       where ${wanted.map((n) => `(id_type = ${sqlLiteral(n.idType)} and id_value = ${sqlLiteral(n.value!)})`).join(' or ')}
       order by node_id`,
    );
    const hits = rows.map((r) => ({ ...identifierOf(r), entityId: String(r.entity_id) }));
    for (const n of normalizations) n.found = hits.some((h) => h.idType === n.idType);
    return { query: { value, normalizations }, hits };
  };

  const from = await lookup(opts.value, types);
  if (from.hits.length === 0) return { status: 'not_found', which: 'value', query: from.query, idGraphModel: plan.identity.idGraphModel, projectDir };
  if (from.hits.length > 1) return { status: 'ambiguous', which: 'value', query: from.query, candidates: from.hits };
  const start = from.hits[0];

  let to: (Identifier & { entityId: string }) | null = null;
  if (opts.to !== undefined) {
    // --to is tried as every id type; one in the same cluster wins.
    const all = await lookup(opts.to, spec.idTypes);
    if (all.hits.length === 0) return { status: 'not_found', which: 'to', query: all.query, idGraphModel: plan.identity.idGraphModel, projectDir };
    const same = all.hits.filter((h) => h.entityId === start.entityId);
    const pick = same.length > 0 ? same : all.hits;
    if (pick.length > 1) return { status: 'ambiguous', which: 'to', query: all.query, candidates: pick };
    to = pick[0];
    if (to.entityId !== start.entityId) {
      // cut_reason and stitched_component_id are there only with a final cut (a limit or max_cluster_size)
      const resolvedModel = plan.identity.guards.finalCutModel ? plan.identity.guards.resolvedModel : null;
      const split = resolvedModel ? await cutBetween(db, resolvedModel, start, to) : null;
      const listMax = Math.max(1, opts.chainLimit ?? DEFAULT_CHAIN_LIMIT);
      const cut = split !== null ? await cutLooseFrom(db, plan, resolvedModel!, split, listMax) : { cutLoose: [], cutLooseTotal: 0 };
      const { separation, sharedSearch } = split !== null ? { separation: null, sharedSearch: null } : await separationOf(db, plan, start, to, listMax, opts.sharedLinkCap ?? SHARED_LINK_CAP);
      const g = plan.identity.guards;
      return {
        status: 'not_linked',
        entityIdColumn: plan.entityIdColumn,
        identifier: start,
        to,
        ...cut,
        separation,
        sharedRule: g.sharedRule,
        sharedSearch,
        auditModel: g.resolvedModel || g.sharedRule ? plan.identity.auditModel : null,
      };
    }
  }

  // The cluster, oldest first: node ids are numbered in first-seen order and the canonical id is
  // named after the smallest one.
  const members = (
    await db.query(
      `select id_type, id_value, cast(first_seen_at as varchar) as first_seen_at, node_id
       from ${idGraph} where ${entityCol} = ${sqlLiteral(start.entityId)} order by node_id`,
    )
  ).map(identifierOf);
  const cluster: Cluster = {
    entityId: start.entityId,
    size: members.length,
    identifiers: members.map((m, i) => ({ ...m, oldest: i === 0 })),
  };
  const byNode = new Map(members.map((m) => [m.nodeId, m]));

  // The links the final resolution kept, both ends inside the cluster (see keptNodes).
  const edgesTable = db.rel(plan.identity.stitchSourceModel);
  const kept = await keptNodes(db, plan, start);
  const keptEdges = `from ${edgesTable} where node_a in ${kept} and node_b in ${kept}`;
  const edgeCap = opts.edgeCap ?? DEFAULT_EDGE_CAP;
  const [{ n: edgeCountRaw }] = await db.query(`select count(*) as n ${keptEdges}`);
  const edgeCount = Number(edgeCountRaw);
  const base = {
    status: 'found' as const,
    entityIdColumn: plan.entityIdColumn,
    query: from.query,
    identifier: strip(start),
    cluster,
    to: to ? strip(to) : null,
    edges: edgeCount,
  };
  if (edgeCount > edgeCap) return { ...base, chains: [], chainsTotal: 0, unlinked: [], edgeCapExceeded: true };

  const edges: Edge[] = (await db.query(`select node_a, node_b ${keptEdges}`)).map((r) => [Number(r.node_a), Number(r.node_b)] as const);
  const tree = bfs(adjacency(edges), start.nodeId);
  const chainLimit = opts.chainLimit ?? DEFAULT_CHAIN_LIMIT;
  const asked = to ? (to.nodeId === start.nodeId ? [] : [to.nodeId]) : members.map((m) => m.nodeId).filter((n) => n !== start.nodeId);
  const unlinked = asked.filter((n) => !tree.dist.has(n)).map((n) => byNode.get(n)!);
  let targets: number[];
  let chainsTotal: number;
  if (to) {
    targets = asked.filter((n) => tree.dist.has(n));
    chainsTotal = targets.length;
  } else {
    const reachable = nearestTargets(tree);
    chainsTotal = reachable.length;
    targets = reachable.slice(0, Math.max(0, chainLimit));
  }

  const evidenceCache = new Map<string, Promise<Evidence[]>>();
  const evidenceFor = (a: Identifier, b: Identifier) => {
    const key = a.nodeId < b.nodeId ? `${a.nodeId}-${b.nodeId}` : `${b.nodeId}-${a.nodeId}`;
    let p = evidenceCache.get(key);
    if (!p) evidenceCache.set(key, (p = findEvidence(db, plan, a, b)));
    return p;
  };
  const chains: Chain[] = [];
  for (const t of targets) {
    const path = pathTo(tree, t)!;
    const links: Link[] = [];
    for (let i = 0; i + 1 < path.length; i++) {
      const a = byNode.get(path[i])!;
      const b = byNode.get(path[i + 1])!;
      links.push({ from: a, to: b, evidence: await evidenceFor(a, b) });
    }
    chains.push({ target: byNode.get(t)!, links });
  }
  return { ...base, chains, chainsTotal, unlinked: unlinked.map(strip), edgeCapExceeded: false };
}

/**
 * The nodes of `start`'s cluster that the final resolution links through, as a SQL subquery:
 * members of the id graph cluster, minus (with limit guards) the identifiers the final cut made
 * singletons and the identifiers of the types dropped by the last level that re-ran the cluster.
 * A stitch edge with both ends in it is a link that level (or the first pass) kept; every link the
 * guards dropped (the audit's link rows) touches a node outside it. Today a level already leaves
 * every node of a type it drops on its own, and a cut node is a singleton, so the id graph cluster
 * alone would do; this states the rule instead of relying on it.
 */
async function keptNodes(db: ExplainDb, plan: ProjectPlan, start: Identifier & { entityId: string }): Promise<string> {
  const g = plan.identity.guards;
  const idGraph = db.rel(plan.identity.idGraphModel);
  const where = [`graph.${sqlIdent(plan.entityIdColumn)} = ${sqlLiteral(start.entityId)}`];
  if (g.levels.length > 0) {
    // Every member of a final cluster was last re-run by the same level (a level re-runs whole clusters).
    const [{ level }] = await db.query(
      `select max(level) as level from (${g.levels
        .map((l) => `select ${l.level} as level from ${db.rel(l.model)} where node_id = ${start.nodeId}`)
        .join(' union all ')}) as levels`,
    );
    const last = level === null || level === undefined ? null : g.levels.find((l) => l.level === Number(level))!;
    if (last) where.push(`graph.id_type not in (${[...last.droppedBefore, ...last.dropTypes].map(sqlLiteral).join(', ')})`);
  }
  if (g.resolvedModel && g.finalCutModel) {
    where.push(
      `not exists (select 1 from ${db.rel(g.resolvedModel)} as resolved where resolved.node_id = graph.node_id and resolved.cut_reason is not null)`,
    );
  }
  return `(select graph.node_id from ${idGraph} as graph where ${where.join(' and ')})`;
}

/**
 * The cluster the limit guards stitched both `a` and `b` into before the final cut split it (its
 * stitched_component_id), or null when they were never in one such cluster.
 */
async function cutBetween(db: ExplainDb, resolvedModel: string, a: Identifier, b: Identifier): Promise<number | null> {
  const rows = await db.query(
    `select min(stitched_component_id) as stitched
     from ${db.rel(resolvedModel)}
     where node_id in (${a.nodeId}, ${b.nodeId})
     having count(*) = 2 and count(distinct stitched_component_id) = 1`,
  );
  return rows.length === 0 ? null : Number(rows[0].stitched);
}

/** The identifiers the final cut took out of the cluster the guards stitched before it (`stitched`), oldest first. */
async function cutLooseFrom(
  db: ExplainDb,
  plan: ProjectPlan,
  resolvedModel: string,
  stitched: number,
  limit: number,
): Promise<{ cutLoose: CutLoose[]; cutLooseTotal: number }> {
  const resolved = db.rel(resolvedModel);
  const rows = await db.query(
    `select graph.id_type, graph.id_value, cast(graph.first_seen_at as varchar) as first_seen_at, graph.node_id, cut.cut_reason,
            count(*) over () as total
     from ${resolved} as cut
     inner join ${db.rel(plan.identity.idGraphModel)} as graph
         on graph.node_id = cut.node_id
     where cut.cut_reason is not null
         and cut.stitched_component_id = ${stitched}
     order by graph.node_id
     limit ${limit}`,
  );
  return {
    cutLoose: rows.map((r) => ({ ...identifierOf(r), cutReason: String(r.cut_reason) })),
    cutLooseTotal: rows.length === 0 ? 0 : Number(rows[0].total),
  };
}

/** The label of a node after the first pass and the given override models (as the guard templates combine them). */
function labelsFrom(db: ExplainDb, models: string[]): { expr: string; joins: string } {
  const alias = (j: number) => `over_${j}`;
  return {
    expr: models.length === 0 ? 'first_pass.component_id' : `coalesce(${models.map((_, j) => `${alias(j)}.component_id`).reverse().join(', ')}, first_pass.component_id)`,
    joins: models.map((m, j) => `left join ${db.rel(m)} as ${alias(j)} on ${alias(j)}.node_id = first_pass.node_id`).join('\n'),
  };
}

/** Why two identifiers of different customers are apart, when the final cut is not why (see Separation). */
async function separationOf(
  db: ExplainDb,
  plan: ProjectPlan,
  a: Identifier & { entityId: string },
  b: Identifier & { entityId: string },
  limit: number,
  linkCap: number,
): Promise<{ separation: Separation | null; sharedSearch: SharedSearch | null }> {
  const g = plan.identity.guards;
  const firstPass = db.rel(plan.identity.firstPassComponentsModel);
  const idGraph = db.rel(plan.identity.idGraphModel);
  // The labels of a and b at each stage: after the shared re-split (the base), then after each level.
  const base = g.unsharedModel ? [g.unsharedModel] : [];
  const stages = [base, ...g.levels.map((l) => [...l.previousModels, l.model])];
  if (g.levels.length > 0) {
    const labels = await db.query(
      `select first_pass.node_id, ${stages.map((m, k) => `${labelsFrom(db, m).expr} as stage_${k}`).join(', ')}
       from ${firstPass} as first_pass
       ${labelsFrom(db, stages[stages.length - 1]).joins}
       where first_pass.node_id in (${a.nodeId}, ${b.nodeId})`,
    );
    const la = labels.find((r) => Number(r.node_id) === a.nodeId);
    const lb = labels.find((r) => Number(r.node_id) === b.nodeId);
    if (la && lb && Number(la.stage_0) === Number(lb.stage_0)) {
      const k = stages.findIndex((_, j) => Number(la[`stage_${j}`]) !== Number(lb[`stage_${j}`]));
      if (k > 0) return { separation: await levelSeparation(db, plan, g.levels[k - 1], Number(la[`stage_${k - 1}`]), a.nodeId, limit), sharedSearch: null };
    }
  }
  if (!g.sharedRule || !plan.identity.sharedIdentifiersModel) return { separation: null, sharedSearch: null };
  // Shared identifiers in or linked to both customers: every chain of links between two customers
  // that no guard but the shared rule separated runs through shared identifiers.
  const edges = db.rel(plan.identity.edgesModel);
  const shared = db.rel(plan.identity.sharedIdentifiersModel);
  const entityCol = sqlIdent(plan.entityIdColumn);
  // a shared identifier of the customer, or linked to one of its identifiers (one join per end of an edge)
  const touching = (entity: string) => {
    const members = `(select node_id from ${idGraph} where ${entityCol} = ${sqlLiteral(entity)})`;
    return `(
      select node_id from ${shared} where node_id in ${members}
      union
      select edges.node_b from ${edges} as edges where edges.node_a in ${members} and edges.node_b in (select node_id from ${shared})
      union
      select edges.node_a from ${edges} as edges where edges.node_b in ${members} and edges.node_a in (select node_id from ${shared})
    )`;
  };
  const rows = await db.query(
    `select graph.id_type, graph.id_value, cast(graph.first_seen_at as varchar) as first_seen_at, graph.node_id, shared.detail,
            count(*) over () as total
     from ${shared} as shared
     inner join ${idGraph} as graph on graph.node_id = shared.node_id
     where shared.node_id in ${touching(a.entityId)} and shared.node_id in ${touching(b.entityId)}
     order by graph.node_id
     limit ${limit}`,
  );
  const { chain, search } = await sharedChain(db, plan, a, b, linkCap, base);
  if (rows.length === 0 && chain === null) return { separation: null, sharedSearch: search };
  return {
    separation: {
      by: 'shared_identifier',
      shared: rows.map((r) => ({ ...identifierOf(r), detail: String(r.detail) })),
      sharedTotal: rows.length === 0 ? 0 : Number(rows[0].total),
      chain,
    },
    sharedSearch: search,
  };
}

/**
 * One shortest chain from `a` to `b` through links of shared identifiers, over the clusters the
 * shared rule left (the first pass and the shared re-split, before any limit level): every link
 * that touches a shared identifier is read (at most `linkCap`), each end stands for its
 * cluster, or for itself when it is shared or linked to nothing else, and a breadth-first search
 * runs over those. The chain is the fewest links between clusters, ties by node order.
 */
async function sharedChain(
  db: ExplainDb,
  plan: ProjectPlan,
  a: Identifier & { entityId: string },
  b: Identifier & { entityId: string },
  linkCap: number,
  /** The models over the first pass that make the shared rule's clusters (its re-split, if any). */
  base: string[],
): Promise<{ chain: SharedChain | null; search: SharedSearch }> {
  const shared = db.rel(plan.identity.sharedIdentifiersModel!);
  const labels = labelsFrom(db, base);
  // the shared-rule cluster of each node in `nodes` (a node linked to nothing has none)
  const labelled = (nodes: string) => `
    select ends.node_id,
           case when shared_ids.node_id is null then 0 else 1 end as is_shared,
           ${labels.expr} as label
    from (${nodes}) as ends
    left join (select node_id from ${shared}) as shared_ids on shared_ids.node_id = ends.node_id
    left join ${db.rel(plan.identity.firstPassComponentsModel)} as first_pass on first_pass.node_id = ends.node_id
    ${labels.joins}`;
  const linksSql = `select node_a, node_b from ${db.rel(plan.identity.edgesModel)}
      where node_a in (select node_id from ${shared}) or node_b in (select node_id from ${shared})`;
  const links = await db.query(
    `with links as (${linksSql}),
     ends as (${labelled('select node_a as node_id from links union select node_b from links')})
     select links.node_a, links.node_b, ends_a.is_shared as shared_a, ends_a.label as label_a, ends_b.is_shared as shared_b, ends_b.label as label_b
     from links
     inner join ends as ends_a on ends_a.node_id = links.node_a
     inner join ends as ends_b on ends_b.node_id = links.node_b
     order by links.node_a, links.node_b
     limit ${linkCap + 1}`,
  );
  if (links.length > linkCap) return { chain: null, search: { links: linkCap, complete: false } };
  const search = { links: links.length, complete: true };
  // the ends asked about, which need not be on any link of a shared identifier
  const ends = await db.query(labelled(`select ${a.nodeId} as node_id union select ${b.nodeId}`));
  const keyOf = (node: unknown, isShared: unknown, label: unknown) =>
    Number(isShared) === 1 ? `s${node}` : label === null || label === undefined ? `n${node}` : `c${label}`;
  const endKey = (n: number) => {
    const r = ends.find((e) => Number(e.node_id) === n)!;
    return keyOf(n, r.is_shared, r.label);
  };
  const [keyA, keyB] = [endKey(a.nodeId), endKey(b.nodeId)];
  if (keyA === keyB) return { chain: null, search };
  // clusters and shared identifiers as numbers in key order (deterministic neighbour order), and
  // one link per pair of them: the first in node order
  const linkKeys = links.map((l) => [keyOf(l.node_a, l.shared_a, l.label_a), keyOf(l.node_b, l.shared_b, l.label_b)] as const);
  const keys = [...new Set([keyA, keyB, ...linkKeys.flat()])].sort();
  const num = new Map(keys.map((k, i) => [k, i]));
  // per pair: the link's ends, and the key of its first end
  const via = new Map<string, { na: number; nb: number; keyOfA: string }>();
  const metaEdges: Edge[] = [];
  linkKeys.forEach(([ka, kb], i) => {
    if (ka === kb) return;
    const [x, y] = [num.get(ka)!, num.get(kb)!];
    const pair = x < y ? `${x}:${y}` : `${y}:${x}`;
    if (via.has(pair)) return;
    via.set(pair, { na: Number(links[i].node_a), nb: Number(links[i].node_b), keyOfA: ka });
    metaEdges.push([x, y]);
  });
  const from = num.get(keyA)!;
  const path = pathTo(bfs(adjacency(metaEdges), from), num.get(keyB)!);
  if (path === null) return { chain: null, search };
  // read from a: a step inside a cluster when the chain enters it elsewhere than it leaves
  const hops: { kind: SharedChainStep['kind']; from: number; to: number }[] = [];
  let at = a.nodeId;
  for (let i = 1; i < path.length; i++) {
    const [x, y] = [path[i - 1], path[i]];
    const link = via.get(x < y ? `${x}:${y}` : `${y}:${x}`)!;
    // u: the end of the link in the cluster the chain is in (x); v: the end it goes on from
    const [u, v] = keys[x] === link.keyOfA ? [link.na, link.nb] : [link.nb, link.na];
    if (u !== at) hops.push({ kind: 'same_cluster', from: at, to: u });
    hops.push({ kind: 'dropped_link', from: u, to: v });
    at = v;
  }
  if (at !== b.nodeId) hops.push({ kind: 'same_cluster', from: at, to: b.nodeId });

  const nodes = [...new Set(hops.flatMap((h) => [h.from, h.to]))];
  const idGraph = db.rel(plan.identity.idGraphModel);
  const rows = await db.query(
    `select graph.id_type, graph.id_value, cast(graph.first_seen_at as varchar) as first_seen_at, graph.node_id,
            graph.${sqlIdent(plan.entityIdColumn)} as entity_id, shared.detail
     from ${idGraph} as graph
     left join ${shared} as shared on shared.node_id = graph.node_id
     where graph.node_id in (${nodes.join(', ')})`,
  );
  const byNode = new Map(rows.map((r) => [Number(r.node_id), r]));
  // an edge whose end the id graph lacks: a warehouse built in parts (explain says so elsewhere)
  if (nodes.some((n) => !byNode.has(n))) return { chain: null, search };
  const ident = (n: number) => ({ ...identifierOf(byNode.get(n)!), entityId: String(byNode.get(n)!.entity_id) });
  const steps: SharedChainStep[] = [];
  for (const h of hops) {
    const [f, t] = [ident(h.from), ident(h.to)];
    steps.push({ kind: h.kind, from: f, to: t, evidence: h.kind === 'dropped_link' ? await findEvidence(db, plan, f, t) : [] });
  }
  // nodes are in chain order (a Set keeps insertion order)
  const sharedOnChain = nodes
    .filter((n) => byNode.get(n)!.detail !== null && byNode.get(n)!.detail !== undefined)
    .map((n) => ({ ...strip(ident(n)), detail: String(byNode.get(n)!.detail) }));
  return { chain: { steps, shared: sharedOnChain }, search };
}

/** Level `l` split the cluster labelled `label` before it, which holds the node `anchor`. */
async function levelSeparation(
  db: ExplainDb,
  plan: ProjectPlan,
  l: GuardLevelPlan,
  label: number,
  anchor: number,
  limit: number,
): Promise<Separation> {
  const g = plan.identity.guards;
  const before = labelsFrom(db, l.previousModels);
  const idGraph = db.rel(plan.identity.idGraphModel);
  // The members of the cluster before the level, found within the anchor's first-pass cluster
  // (the re-split and the levels only ever split one), not over the whole graph.
  const firstPass = db.rel(plan.identity.firstPassComponentsModel);
  const members = await db.query(
    `select graph.id_type, graph.id_value, cast(graph.first_seen_at as varchar) as first_seen_at, graph.node_id
     from ${db.rel(plan.identity.firstPassComponentsModel)} as first_pass
     ${before.joins}
     inner join ${idGraph} as graph on graph.node_id = first_pass.node_id
     where ${before.expr} = ${label}
       and first_pass.component_id = (select component_id from ${firstPass} where node_id = ${anchor})
     order by graph.node_id`,
  );
  const count = (t: string) => members.filter((m) => m.id_type === t).length;
  let reason: string | null = null;
  let detail: string | null = null;
  const broken = g.limits.find((x) => count(x.idType) > x.limit);
  if (broken) {
    reason = `limit:${broken.idType}`;
    detail = `it had ${count(broken.idType)} ${broken.idType} identifiers (limit ${broken.limit})`;
  } else if (g.maxClusterSize !== null && members.length > g.maxClusterSize) {
    reason = 'max_cluster_size';
    detail = `it had ${members.length} identifiers (max_cluster_size ${g.maxClusterSize})`;
  }
  const dropped = members.filter((m) => l.dropTypes.includes(String(m.id_type))).map(identifierOf);
  return {
    by: 'level',
    level: l.level,
    model: l.model,
    dropTypes: l.dropTypes,
    clusterSize: members.length,
    reason,
    detail,
    dropped: dropped.slice(0, limit),
    droppedTotal: dropped.length,
  };
}

function strip<T extends Identifier>(i: T): Identifier {
  return { idType: i.idType, idValue: i.idValue, firstSeenAt: i.firstSeenAt, nodeId: i.nodeId };
}

function identifierOf(r: Record<string, unknown>): Identifier {
  return { idType: String(r.id_type), idValue: String(r.id_value), firstSeenAt: text(r.first_seen_at), nodeId: Number(r.node_id) };
}

export function normalizationOf(value: string, t: IdTypeSpec): Normalization {
  const c = cleanId(value, t);
  return {
    idType: t.name,
    normalizer: `${t.normalize}: ${describeNormalizer(t.normalize, t.defaultCountry)}`,
    normalized: c.normalized,
    value: c.value,
    reason: c.reason,
    ...(c.detail !== undefined ? { detail: c.detail } : {}),
    found: false,
  };
}

/** The (staging model, column for a, column for b) combinations that can have linked a and b. */
export function evidenceSources(plan: ProjectPlan, a: Identifier, b: Identifier): { staging: StagingPlan; colA: IdColumnPlan; colB: IdColumnPlan }[] {
  const out: { staging: StagingPlan; colA: IdColumnPlan; colB: IdColumnPlan }[] = [];
  const staging = new Map(plan.staging.map((s) => [s.input, s]));
  const add = (p: EdgePairPlan, colA: IdColumnPlan, colB: IdColumnPlan) => out.push({ staging: staging.get(p.input)!, colA, colB });
  for (const p of plan.identity.pairs) {
    if (p.a.idType === a.idType && p.b.idType === b.idType) add(p, p.a, p.b);
    else if (p.a.idType === b.idType && p.b.idType === a.idType) add(p, p.b, p.a);
  }
  return out;
}

async function findEvidence(db: ExplainDb, plan: ProjectPlan, a: Identifier, b: Identifier): Promise<Evidence[]> {
  const found: Evidence[] = [];
  for (const { staging, colA, colB } of evidenceSources(plan, a, b)) {
    const rows = await db.query(
      `with matching as (
         select * from ${db.rel(staging.model)}
         where ${sqlIdent(colA.cleanColumn)} = ${sqlLiteral(a.idValue)} and ${sqlIdent(colB.cleanColumn)} = ${sqlLiteral(b.idValue)}
       ),
       earliest as (
         select *, count(*) over () as c360_explain_rows from matching order by occurred_at nulls last limit 1
       )
       select ${db.dialect === 'duckdb' ? 'cast(columns(*) as varchar)' : '*'} from earliest`,
    );
    if (rows.length === 0) continue;
    const row = rows[0];
    const hidden = new Set(
      ['occurred_at', 'c360_explain_rows', staging.occurredAt, ...staging.ids.flatMap((c) => [c.column, c.cleanColumn])].map((c) => c.toLowerCase()),
    );
    const columns = Object.entries(row)
      .filter(([k]) => !hidden.has(k.toLowerCase()))
      .slice(0, EVIDENCE_COLUMNS)
      .map(([k, v]) => [k, text(v)] as [string, string | null]);
    found.push({ input: staging.input, occurredAt: text(row.occurred_at), columns, rows: Number(row.c360_explain_rows) });
  }
  return found.sort((x, y) => (x.occurredAt ?? '\uffff').localeCompare(y.occurredAt ?? '\uffff') || x.input.localeCompare(y.input));
}
