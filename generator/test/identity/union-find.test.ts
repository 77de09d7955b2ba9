import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnionFind, componentsOf } from '../helpers/union-find.js';

/** Reference: repeated min-label propagation until nothing changes (slow, obviously right). */
function naive(edges: Array<[number, number]>): Array<[number, number]> {
  const label = new Map<number, number>();
  for (const [a, b] of edges) if (a !== b) { label.set(a, a); label.set(b, b); }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [a, b] of edges) {
      if (a === b) continue;
      const m = Math.min(label.get(a)!, label.get(b)!);
      if (label.get(a)! !== m) { label.set(a, m); changed = true; }
      if (label.get(b)! !== m) { label.set(b, m); changed = true; }
    }
  }
  return [...label.entries()].sort((x, y) => x[0] - y[0]);
}

describe('union-find oracle', () => {
  it('labels a component by its smallest node', () => {
    const uf = new UnionFind();
    uf.union(5, 3);
    uf.union(9, 5);
    uf.union(7, 8);
    uf.add(1);
    expect(uf.components()).toEqual([[1, 1], [3, 3], [5, 3], [7, 7], [8, 7], [9, 3]]);
  });

  it('drops nodes that only have self-loops', () => {
    expect(componentsOf([[4, 4], [2, 1], [1, 2]])).toEqual([[1, 1], [2, 1]]);
  });

  it('agrees with naive label propagation', () => {
    const edge = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(fc.array(edge, { maxLength: 80 }), (edges) => {
        expect(componentsOf(edges)).toEqual(naive(edges));
      }),
      { numRuns: 300 },
    );
  });
});
