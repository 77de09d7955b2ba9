// Shortest chains of identity edges, by breadth-first search over a cluster's edge list. Pure.

export type Edge = readonly [number, number];

export type Adjacency = Map<number, number[]>;

/** Undirected adjacency lists; neighbours sorted ascending so results are deterministic. */
export function adjacency(edges: Iterable<Edge>): Adjacency {
  const adj: Adjacency = new Map();
  const add = (a: number, b: number) => {
    let list = adj.get(a);
    if (!list) adj.set(a, (list = []));
    list.push(b);
  };
  for (const [a, b] of edges) {
    if (a === b) continue;
    add(a, b);
    add(b, a);
  }
  for (const list of adj.values()) list.sort((x, y) => x - y);
  return adj;
}

export interface BfsTree {
  source: number;
  /** Hops from the source, for every reachable node (the source has 0). */
  dist: Map<number, number>;
  /** The predecessor on one shortest path from the source (absent for the source). */
  parent: Map<number, number>;
}

export function bfs(adj: Adjacency, source: number): BfsTree {
  const dist = new Map<number, number>([[source, 0]]);
  const parent = new Map<number, number>();
  const queue = [source];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head];
    const du = dist.get(u)!;
    for (const v of adj.get(u) ?? []) {
      if (dist.has(v)) continue;
      dist.set(v, du + 1);
      parent.set(v, u);
      queue.push(v);
    }
  }
  return { source, dist, parent };
}

/** Nodes from the tree's source to `target` inclusive, or null when `target` is unreachable. */
export function pathTo(tree: BfsTree, target: number): number[] | null {
  if (!tree.dist.has(target)) return null;
  const path = [target];
  for (let n = target; n !== tree.source; ) {
    n = tree.parent.get(n)!;
    path.push(n);
  }
  return path.reverse();
}

/** A shortest chain of nodes from `from` to `to`, or null when they are not connected. */
export function shortestPath(edges: Iterable<Edge>, from: number, to: number): number[] | null {
  return pathTo(bfs(adjacency(edges), from), to);
}

/** Reachable nodes other than the source, nearest first (ties by node id). */
export function nearestTargets(tree: BfsTree): number[] {
  return [...tree.dist.entries()]
    .filter(([n]) => n !== tree.source)
    .sort((a, b) => a[1] - b[1] || a[0] - b[0])
    .map(([n]) => n);
}

/**
 * One shortest chain from `from` to each other reachable node, nearest first (ties by node id),
 * at most `limit` of them; `total` is how many nodes there were to reach.
 */
export function shortestPathTree(
  edges: Iterable<Edge>,
  from: number,
  limit = 20,
): { chains: number[][]; total: number } {
  const tree = bfs(adjacency(edges), from);
  const targets = nearestTargets(tree);
  return { chains: targets.slice(0, Math.max(0, limit)).map((t) => pathTo(tree, t)!), total: targets.length };
}
