// In-memory union-find: the oracle for identity resolution tests.
// Path halving + union by size; a component is labelled by its smallest node.

export class UnionFind {
  private readonly index = new Map<number, number>();
  private readonly nodes: number[] = [];
  private readonly parent: number[] = [];
  private readonly size: number[] = [];
  private readonly min: number[] = [];

  /** The dense slot of `node`, adding it as a singleton when first seen. */
  private slot(node: number): number {
    let i = this.index.get(node);
    if (i === undefined) {
      i = this.nodes.length;
      this.index.set(node, i);
      this.nodes.push(node);
      this.parent.push(i);
      this.size.push(1);
      this.min.push(node);
    }
    return i;
  }

  private root(i: number): number {
    const parent = this.parent;
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]]; // path halving
      i = parent[i];
    }
    return i;
  }

  add(node: number): void {
    this.slot(node);
  }

  union(a: number, b: number): void {
    let ra = this.root(this.slot(a));
    let rb = this.root(this.slot(b));
    if (ra === rb) return;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    if (this.min[rb] < this.min[ra]) this.min[ra] = this.min[rb];
  }

  has(node: number): boolean {
    return this.index.has(node);
  }

  /** The component label of `node`: the smallest node in its component. */
  find(node: number): number {
    const i = this.index.get(node);
    if (i === undefined) throw new Error(`union-find: unknown node ${node}`);
    return this.min[this.root(i)];
  }

  /** Every node with its component label, sorted by node. */
  components(): Array<[node: number, component: number]> {
    return this.nodes
      .map((n): [number, number] => [n, this.find(n)])
      .sort((x, y) => x[0] - y[0]);
  }
}

/**
 * Connected components of an edge list, as the c360_connected_components materialization defines
 * them: nodes of at least one non-self edge only (self-loops alone do not make a node).
 */
export function componentsOf(edges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const uf = new UnionFind();
  for (const [a, b] of edges) if (a !== b) uf.union(a, b);
  return uf.components();
}
