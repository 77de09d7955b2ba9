// Shortest chains by BFS, checked against Floyd–Warshall distances on small random graphs.

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/demo/data.js';
import { shortestPath, shortestPathTree, type Edge } from '../../src/explain/graph.js';

const rng = mulberry32;

function randomGraph(rand: () => number, n: number, m: number): Edge[] {
  const edges: Edge[] = [];
  for (let i = 0; i < m; i++) {
    const a = 1 + Math.floor(rand() * n);
    const b = 1 + Math.floor(rand() * n);
    edges.push(a < b ? [a, b] : [b, a]); // like int_<entity>__edges (node_a < node_b), self-loops too
  }
  return edges;
}

function floydWarshall(n: number, edges: Edge[]): number[][] {
  const d = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === j ? 0 : Infinity)));
  for (const [a, b] of edges) if (a !== b) d[a][b] = d[b][a] = 1;
  for (let k = 1; k <= n; k++) for (let i = 1; i <= n; i++) for (let j = 1; j <= n; j++) d[i][j] = Math.min(d[i][j], d[i][k] + d[k][j]);
  return d;
}

function isChain(path: number[], edges: Edge[]): boolean {
  const set = new Set(edges.flatMap(([a, b]) => [`${a}-${b}`, `${b}-${a}`]));
  return path.every((v, i) => i === 0 || set.has(`${path[i - 1]}-${v}`));
}

describe('shortest chains', () => {
  it('a hand-made example: the brief (email - phone - payments_id) plus a detour', () => {
    const edges: Edge[] = [[1, 2], [2, 3], [1, 4], [4, 5], [5, 3]];
    expect(shortestPath(edges, 1, 3)).toEqual([1, 2, 3]);
    expect(shortestPath(edges, 3, 1)).toEqual([3, 2, 1]);
    expect(shortestPath(edges, 1, 1)).toEqual([1]);
    expect(shortestPath(edges, 1, 9)).toBeNull();
    expect(shortestPathTree(edges, 1)).toEqual({ chains: [[1, 2], [1, 4], [1, 2, 3], [1, 4, 5]], total: 4 });
    expect(shortestPathTree(edges, 1, 2)).toEqual({ chains: [[1, 2], [1, 4]], total: 4 });
  });

  it('equals brute-force distances on 300 small random graphs, every pair', () => {
    const rand = rng(20260601);
    for (let g = 0; g < 300; g++) {
      const n = 1 + Math.floor(rand() * 9);
      const edges = randomGraph(rand, n, Math.floor(rand() * 2 * n));
      const d = floydWarshall(n, edges);
      for (let a = 1; a <= n; a++) {
        for (let b = 1; b <= n; b++) {
          const p = shortestPath(edges, a, b);
          if (d[a][b] === Infinity) {
            expect(p, `graph ${g} ${JSON.stringify(edges)} ${a}->${b}`).toBeNull();
            continue;
          }
          expect(p, `graph ${g} ${JSON.stringify(edges)} ${a}->${b}`).not.toBeNull();
          expect(p![0]).toBe(a);
          expect(p![p!.length - 1]).toBe(b);
          expect(p!.length - 1).toBe(d[a][b]);
          expect(isChain(p!, edges)).toBe(true);
        }
        const tree = shortestPathTree(edges, a, 1000);
        const reachable = Array.from({ length: n }, (_, i) => i + 1).filter((v) => v !== a && d[a][v] !== Infinity);
        expect(tree.total).toBe(reachable.length);
        expect(tree.chains.map((c) => c[c.length - 1]).sort((x, y) => x - y)).toEqual(reachable);
        for (const c of tree.chains) {
          expect(c[0]).toBe(a);
          expect(c.length - 1).toBe(d[a][c[c.length - 1]]);
          expect(isChain(c, edges)).toBe(true);
        }
        // nearest first
        const lengths = tree.chains.map((c) => c.length);
        expect(lengths).toEqual([...lengths].sort((x, y) => x - y));
      }
    }
  });
});
