// With every guard on (limits with priorities, max_cluster_size, shared_identifier_max_links), the
// incremental id graph recomputes only the first-pass clusters a run changed (decision 0004). Its
// result must be exactly a --full-refresh over the same rows, run after run, while random batches
// merge people, push clusters over limits (the levels and the final cut split them), make devices
// shared, add links inside clusters that a level had split, and deliver late rows (first seen
// moving back, which can change who the final cut keeps). Compared per identifier (type, value):
// the canonical id, the final cut's reason, and the shared identifiers; the limit levels row for
// row; the cluster counts level 1 reads equal a recount; the kept links must connect every final
// cluster and join no two.

import { beforeAll, describe, expect, it } from 'vitest';
import { runDbt } from '../../src/dbt/run.js';
import { mulberry32 } from '../../src/demo/data.js';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { checkKeptLinks } from '../helpers/kept-links.js';
import { buildPair, execSql, projectPair, type ProjectPair } from '../support/build.js';

const SPEC = `version: 1
entity: person
id_types:
  user_id: { limit: 1 }
  email: { normalize: email, limit: 2 }
  device_id: {}
identity:
  max_cluster_size: 8
  shared_identifier_max_links: 6
inputs:
  events:
    relation: source('raw', 'events')
    occurred_at: ts
    ids: { email: email, device_id: device_id, user_id: [user_id, alias_user_id] }
`;

type Row = { ts: string; email: string | null; device_id: string | null; user_id: string | null; alias_user_id?: string };

const PEOPLE = 60;
const BATCHES = 5;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** Batch b: own-identifier rows of people (new people join over time), merges between two people,
 * account merges (two user_ids in one row: no level can split them, the final cut does), kiosk
 * devices seen with many people, links inside a person, and, from batch 2 on, late rows stamped
 * before the first batch. */
function batches(seed: number): Row[][] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const ids = (p: number) => ({
    email: [`p${p}a@x.com`, `P${p}B@x.com`],
    device: [`dev-${p}`, `dev-${p}-b`],
    user: `u${p}`,
  });
  const out: Row[][] = [];
  for (let b = 0; b < BATCHES; b++) {
    let clock = T0 + b * DAY;
    const stamp = (late = false) =>
      new Date(late ? T0 - DAY + Math.floor(rnd() * 3_600_000) : (clock += 60_000)).toISOString().replace('T', ' ').slice(0, 19);
    const rows: Row[] = [];
    const known = Math.floor(PEOPLE * (0.4 + (0.6 * b) / (BATCHES - 1)));
    for (let n = 0; n < 40; n++) {
      const p = Math.floor(rnd() * known);
      const i = ids(p);
      const kind = rnd();
      const late = b >= 2 && rnd() < 0.1;
      if (kind < 0.55) {
        // a person's own identifiers, two at a time
        const pair = pick([
          [pick(i.email), null, rnd() < 0.8 ? i.user : null],
          [pick(i.email), pick(i.device), null],
          [null, pick(i.device), i.user],
        ]) as [string | null, string | null, string | null];
        rows.push({ ts: stamp(late), email: pair[0], device_id: pair[1], user_id: pair[2] });
      } else if (kind < 0.62) {
        // an account merge: two user_ids in one row
        rows.push({ ts: stamp(late), email: null, device_id: null, user_id: i.user, alias_user_id: ids(Math.floor(rnd() * known)).user });
      } else if (kind < 0.75) {
        // two people merged through a shared email or device (over a limit, or a level splits them)
        const q = ids(Math.floor(rnd() * known));
        rows.push(
          rnd() < 0.5
            ? { ts: stamp(late), email: pick(q.email), device_id: null, user_id: i.user }
            : { ts: stamp(late), email: null, device_id: pick(q.device), user_id: i.user },
        );
      } else if (kind < 0.9) {
        // kiosks: few devices seen with many people's emails, crossing shared_identifier_max_links
        rows.push({ ts: stamp(late), email: pick(i.email), device_id: `kiosk-${Math.floor(rnd() * 3)}`, user_id: null });
      } else {
        // a link inside one person: both emails, or both devices
        rows.push(
          rnd() < 0.5
            ? { ts: stamp(late), email: i.email[0], device_id: i.device[1], user_id: null }
            : { ts: stamp(late), email: i.email[1], device_id: i.device[0], user_id: null },
        );
      }
    }
    out.push(rows);
  }
  return out;
}

const LOOKBACK = { c360_lookback_hours: String(24 * (BATCHES + 2)) };
const lit = (v: string | null) => (v === null ? 'null' : `'${v}'`);
const insertSql = (rows: Row[]) =>
  `create schema if not exists raw;
   create table if not exists raw.events (ts timestamp, email varchar, device_id varchar, user_id varchar, alias_user_id varchar);
   insert into raw.events values ${rows.map((r) => `(timestamp '${r.ts}', ${lit(r.email)}, ${lit(r.device_id)}, ${lit(r.user_id)}, ${lit(r.alias_user_id ?? null)})`).join(',\n')};`;

/** Per identifier: its canonical id, and why the final cut took it out, or that it is shared. */
async function outcome(db: string): Promise<Record<string, string>> {
  const rows = await withDuckDb(db, (c) =>
    c.query(`
      select g.id_type || ':' || g.id_value as id,
             -- a shared identifier's row in the final cut exists only where a stale first-pass
             -- cluster held it (incremental runs); the shared table says it either way
             g.person_id || ' ' || case when s.node_id is null then coalesce(cut.cut_reason, '-') else 'shared' end as outcome
      from main.person_id_graph g
      left join main.int_person__final_cut cut on cut.node_id = g.node_id
      left join main.int_person__shared_identifiers s on s.node_id = g.node_id
      order by id`),
  );
  return Object.fromEntries(rows.map((r) => [String(r.id), String(r.outcome)]));
}

/**
 * The clusters of each limit level, as sets of identifiers (node ids are not comparable: a full
 * refresh numbers a late row's identifiers by first seen, an incremental run after every known one).
 */
async function levelTables(db: string, levels: string[]): Promise<Record<string, string[]>> {
  return withDuckDb(db, async (c) => {
    const out: Record<string, string[]> = {};
    for (const model of levels) {
      const rows = await c.query(`
        select string_agg(i.id_type || ':' || i.id_value, ' ' order by i.id_type, i.id_value) as r
        from main.${model} as level
        inner join main.int_person__identifiers as i on i.node_id = level.node_id
        group by level.component_id
        order by r`);
      out[model] = rows.map((r) => String(r.r));
    }
    return out;
  });
}

/**
 * The cluster counts level 1 reads, as the incremental table has them and as a count over the
 * clusters now gives them, for every cluster a node is in (the row of a cluster a merge absorbed
 * stays behind; no node carries its id). Not compared with --full-refresh: an incremental first
 * pass still holds what a newly shared identifier stitched, and the shared re-split relabels it.
 */
async function clusterCounts(db: string): Promise<{ table: string[]; recount: string[] }> {
  const clusters = `
      select first_pass.node_id, coalesce(unshared.component_id, first_pass.component_id) as component_id
      from main.int_person__components as first_pass
      left join main.int_person__components_unshared as unshared on unshared.node_id = first_pass.node_id`;
  return withDuckDb(db, async (c) => {
    const rows = async (sql: string) => (await c.query(sql)).map((r) => String(r.r));
    return {
      table: await rows(`
        select component_id || ' ' || identifiers || ' ' || user_id_count || ' ' || email_count as r
        from main.int_person__cluster_counts
        where component_id in (select component_id from (${clusters}))
        order by component_id`),
      recount: await rows(`
        select component_id || ' ' || count(*) || ' ' || count(*) filter (where i.id_type = 'user_id')
            || ' ' || count(*) filter (where i.id_type = 'email') as r
        from (${clusters}) as clusters
        inner join main.int_person__identifiers as i on i.node_id = clusters.node_id
        group by component_id
        order by component_id`),
    };
  });
}

/** The id graph ran incrementally: the rows its last run wrote are fewer than its identifiers. */
async function expectIncrementalIdGraph(db: string, label: string): Promise<void> {
  const [{ written, total }] = await withDuckDb(db, (c) =>
    c.query(`select count(*) filter (where updated_at = (select max(updated_at) from main.person_id_graph))::int as written,
                    count(*)::int as total from main.person_id_graph`),
  );
  expect(Number(written), label).toBeLessThan(Number(total));
}

describe('guards: the incremental id graph equals --full-refresh, run after run', () => {
  let pair: ProjectPair;

  beforeAll(() => {
    pair = projectPair(SPEC, 'guards');
  });

  it('plans every guard and an incremental id graph', () => {
    const g = pair.plan.identity.guards;
    expect([g.levels.length, g.unsharedModel, g.finalCutModel, g.resolvedModel]).toEqual([
      2,
      'int_person__components_unshared',
      'int_person__final_cut',
      'int_person__resolved_components',
    ]);
  });

  it('five random batches: every identifier has the canonical id, cut and shared status a full refresh gives', async () => {
    const seen = { cut: 0, shared: 0, split: 0 };
    for (const [b, rows] of batches(20261129).entries()) {
      // late rows are older than the input's newest: the lookback makes int_events__ids read them
      await buildPair(pair, insertSql(rows), LOOKBACK);
      const { incDb, fullDb, plan } = pair;

      const incremental = await outcome(incDb);
      expect(incremental, `run ${b}`).toEqual(await outcome(fullDb));
      const levels = plan.identity.guards.levels.map((l) => l.model);
      expect(await levelTables(incDb, levels), `run ${b}`).toEqual(await levelTables(fullDb, levels));
      const counts = await clusterCounts(incDb);
      expect(counts.table, `run ${b}`).toEqual(counts.recount);
      const kept = await withDuckDb(incDb, (c) => checkKeptLinks((sql) => c.query(sql), plan));
      expect([kept.disconnected, kept.crossing], `run ${b}`).toEqual([[], []]);

      const values = Object.values(incremental);
      seen.cut += values.filter((v) => / limit:| max_cluster_size/.test(v)).length;
      seen.shared += values.filter((v) => v.endsWith(' shared')).length;
      const [{ n }] = await withDuckDb(incDb, (c) =>
        c.query(`select count(distinct l.node_id)::int as n from main.int_person__components_l1 l`),
      );
      seen.split += Number(n);
      if (b > 0) await expectIncrementalIdGraph(incDb, `run ${b}`);
    }
    // the batches exercised the guards: cuts, shared kiosks, levels re-running clusters
    expect(seen.cut).toBeGreaterThan(0);
    expect(seen.shared).toBeGreaterThan(0);
    expect(seen.split).toBeGreaterThan(0);
  });

  it('an id graph built before it was incremental (no updated_at) stops with the fix, which works', async () => {
    const { incDir, incDb } = pair;
    const before = await outcome(incDb);
    await execSql(incDb, 'alter table main.person_id_graph drop column updated_at');
    const run = await runDbt({ projectDir: incDir, args: ['build', '--select', 'person_id_graph'], stream: false });
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('has no column updated_at: it was built by an older c360-gen');
    expect(run.output).toContain('fix: dbt build --full-refresh --select person_id_graph');
    const fixed = await runDbt({ projectDir: incDir, args: ['build', '--full-refresh', '--select', 'person_id_graph'], stream: false });
    expect(fixed.exitCode, fixed.output.slice(-4000)).toBe(0);
    expect(await outcome(incDb)).toEqual(before);
  });
});

// max_cluster_size alone: no limit and no shared rule, so the shared identifiers and the stitch
// edges are views (the rules guard does not list them) and the final cut alone splits clusters.
const SIZE_ONLY_SPEC = SPEC.replace('{ limit: 1 }', '{}')
  .replace('normalize: email, limit: 2', 'normalize: email')
  .replace('  shared_identifier_max_links: 6\n', '');

describe('max_cluster_size alone: the incremental id graph equals --full-refresh, run after run', () => {
  let pair: ProjectPair;

  beforeAll(() => {
    pair = projectPair(SIZE_ONLY_SPEC, 'size-only');
  });

  it('plans the final cut only, over views of the edges', () => {
    const g = pair.plan.identity.guards;
    expect([g.limits.length, g.sharedRule, g.maxClusterSize, g.finalCutModel]).toEqual([0, false, 8, 'int_person__final_cut']);
    expect(pair.plan.identity.rulesGuard.models.map((m) => m.model)).not.toContain('int_person__stitch_edges');
  });

  it('five random batches: every identifier has the canonical id and cut a full refresh gives', async () => {
    let cut = 0;
    for (const [b, rows] of batches(20261130).entries()) {
      await buildPair(pair, insertSql(rows), LOOKBACK);
      const { incDb, fullDb, plan } = pair;
      const incremental = await outcome(incDb);
      expect(incremental, `run ${b}`).toEqual(await outcome(fullDb));
      const kept = await withDuckDb(incDb, (c) => checkKeptLinks((sql) => c.query(sql), plan));
      expect([kept.disconnected, kept.crossing], `run ${b}`).toEqual([[], []]);
      cut += Object.values(incremental).filter((v) => v.endsWith(' max_cluster_size')).length;
      if (b > 0) await expectIncrementalIdGraph(incDb, `run ${b}`);
    }
    // the kiosks join many people: the final cut had clusters over the maximum to split
    expect(cut).toBeGreaterThan(0);
  });
});
