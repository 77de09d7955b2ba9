// Oracle for the over-stitching guards: the final clusters must be exactly the connected
// components of the links the guards kept (every identity edge minus the link rows of the audit).
// Union-find over the kept links in memory, compared with the id graph both ways.

import type { ProjectPlan } from '../../src/plan/types.js';
import { UnionFind } from './union-find.js';

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

export interface KeptLinkReport {
  /** Final clusters whose members no chain of kept links connects (entity id, the parts' nodes). */
  disconnected: { entityId: string; parts: number[][] }[];
  /** Kept links whose ends are in different final clusters. */
  crossing: [number, number][];
  /** Identifiers in the id graph, kept links counted. */
  identifiers: number;
  keptLinks: number;
}

export async function checkKeptLinks(query: Query, plan: ProjectPlan): Promise<KeptLinkReport> {
  const i = plan.identity;
  const edges = await query(`select node_a, node_b from main.${i.edgesModel}`);
  const dropped = await query(`select node_id, other_node_id from main.${i.auditModel} where node_id is not null`);
  const graph = await query(`select node_id, ${plan.entityIdColumn} as entity_id from main.${i.idGraphModel}`);

  const key = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);
  const droppedKeys = new Set(dropped.map((d) => key(Number(d.node_id), Number(d.other_node_id))));
  const entityOf = new Map(graph.map((g) => [Number(g.node_id), String(g.entity_id)]));

  const uf = new UnionFind();
  for (const n of entityOf.keys()) uf.add(n);
  const crossing: [number, number][] = [];
  let keptLinks = 0;
  for (const e of edges) {
    const a = Number(e.node_a);
    const b = Number(e.node_b);
    if (a === b || droppedKeys.has(key(a, b))) continue;
    keptLinks++;
    uf.union(a, b);
    if (entityOf.get(a) !== entityOf.get(b)) crossing.push([a, b]);
  }

  const parts = new Map<string, Map<number, number[]>>();
  for (const [n, entity] of entityOf) {
    const byRoot = parts.get(entity) ?? new Map<number, number[]>();
    parts.set(entity, byRoot);
    const root = uf.find(n);
    byRoot.set(root, [...(byRoot.get(root) ?? []), n]);
  }
  const disconnected = [...parts]
    .filter(([, byRoot]) => byRoot.size > 1)
    .map(([entityId, byRoot]) => ({ entityId, parts: [...byRoot.values()].map((p) => p.sort((x, y) => x - y)) }));
  return { disconnected, crossing, identifiers: entityOf.size, keptLinks };
}
