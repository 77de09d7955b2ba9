// Over-stitching guards: shared identifiers, per-type limits with priority, a cluster-size cap.
// Decides the guard models of the generated project; the SQL lives in the templates.
//
// With any guard (a limit, max_cluster_size or shared_identifier_max_links):
//   int_<e>__edges ──► int_<e>__shared_identifiers ──► int_<e>__stitch_edges (edges minus links of
//   shared identifiers) ──► int_<e>__components (first pass) ──► int_<e>__components_unshared
//   (the first-pass clusters that hold a shared identifier, re-run over the stitch edges)
//   ──► int_<e>__components_l1 .. _lK (one connected-components pass per priority level, only
//   over clusters still over a limit) ──► int_<e>__final_cut (the clusters still over a limit
//   after the last level, and those holding a shared identifier: the final cut)
//   ──► int_<e>__components_after_cut (the clusters the cut touched, re-split over the links
//   left) ──► int_<e>__resolved_components ──► <e>_id_graph
//
// The shared re-split (whenever an identifier can be shared: a limit or
// shared_identifier_max_links): the first pass is incremental and only merges, so after an
// identifier becomes shared on a later run its first-pass cluster still holds what it stitched.
// Re-running those clusters over today's stitch edges gives exactly the clusters a full refresh's
// first pass has, before any limit counts identifiers (decision 0005). On a consistent build it
// re-runs nothing.
//
// Levels: the distinct priorities from the lowest up, all but the highest. Level k drops, in the
// clusters still over a limit, the links touching the id types of the k-th lowest priority, so
// the number of passes is bounded by the number of id types. Whatever still breaks a limit after
// the last level (two user_ids in one row) is cut by final_cut: identifiers of the over-limit
// type beyond the limit (oldest kept) become singletons, and what is left of such a cluster is
// split into the connected components of the links that remain (components_after_cut), so no
// cluster holds identifiers that only a cut identifier linked. With shared_identifier_max_links
// alone there are no levels and no cut: the resolved components are the first pass with the
// shared re-split over it. Without any guard the first pass reads int_<e>__edges and is final.

import type { Spec } from '../spec/types.js';
import type { GuardLevelPlan, IdentityGuardsPlan, ModelDoc } from './types.js';

export function planGuards(spec: Spec): IdentityGuardsPlan {
  const priorities = spec.idTypes
    .map((t, i) => ({ idType: t.name, priority: t.priority, position: i }))
    .sort((a, b) => a.priority - b.priority || a.position - b.position)
    .map(({ idType, priority }) => ({ idType, priority }));
  const rank = new Map(priorities.map((p, i) => [p.idType, i]));
  const limits = spec.idTypes
    .filter((t) => t.limit !== null)
    .map((t) => ({ idType: t.name, limit: t.limit! }))
    .sort((a, b) => rank.get(a.idType)! - rank.get(b.idType)!);
  const { maxClusterSize, sharedIdentifierMaxLinks } = spec.identity;
  const limited = limits.length > 0 || maxClusterSize !== null;
  const sharedRule = limits.length > 0 || sharedIdentifierMaxLinks !== null;
  const unsharedModel = sharedRule ? `int_${spec.entity}__components_unshared` : null;

  const levels: GuardLevelPlan[] = [];
  if (limited) {
    const distinct = [...new Set(priorities.map((p) => p.priority))].sort((a, b) => b - a);
    const droppedBefore: string[] = [];
    for (const pr of distinct.slice(0, -1)) {
      const level = levels.length + 1;
      const dropTypes = priorities.filter((p) => p.priority === pr).map((p) => p.idType);
      levels.push({
        level,
        model: `int_${spec.entity}__components_l${level}`,
        dropTypes,
        droppedBefore: [...droppedBefore],
        previousModels: [...(unsharedModel ? [unsharedModel] : []), ...levels.map((l) => l.model)],
      });
      droppedBefore.push(...dropTypes);
    }
  }
  return {
    limits,
    maxClusterSize,
    limited,
    sharedIdentifierMaxLinks,
    sharedRule,
    priorities,
    unsharedModel,
    levels,
    clusterCountsModel: levels.length > 0 ? `int_${spec.entity}__cluster_counts` : null,
    finalCutModel: limited ? `int_${spec.entity}__final_cut` : null,
    afterCutModel: limited ? `int_${spec.entity}__components_after_cut` : null,
    resolvedModel: limited || sharedRule ? `int_${spec.entity}__resolved_components` : null,
    droppedTypes: levels.flatMap((l) => l.dropTypes),
  };
}



/** Docs of the guard models that live in models/identity. */
export function guardIdentityDocs(i: {
  sharedIdentifiersModel: string | null;
  stitchEdgesModel: string | null;
  guards: IdentityGuardsPlan;
}): ModelDoc[] {
  const g = i.guards;
  if (!i.sharedIdentifiersModel || !i.stitchEdgesModel) return [];
  const docs: ModelDoc[] = [
    {
      name: i.sharedIdentifiersModel,
      description:
        'Shared identifiers: linked directly to more distinct identifiers of a limited type than its limit' +
        (g.sharedIdentifierMaxLinks !== null ? `, or to more than ${g.sharedIdentifierMaxLinks} identifiers in all` : '') +
        '. They stop stitching: all their links are dropped and audited.',
      columns: [
        { name: 'node_id', description: 'Node key of the shared identifier.', tests: ['unique', 'not_null'] },
        { name: 'id_type', description: 'Its id type.' },
        { name: 'id_value', description: 'Its value.' },
        { name: 'other_id_type', description: 'The limited id type it is linked to too often (null: the rule on links of any type).' },
        { name: 'links', description: 'Distinct identifiers it is linked to (of other_id_type, or in all).' },
        { name: 'max_links', description: 'The limit it breaks.' },
        { name: 'detail', description: 'The rule, in words.' },
      ],
    },
    {
      name: i.stitchEdgesModel,
      description:
        'The identity edges that may stitch: every edge except the links of shared identifiers. Incremental: a run ' +
        'copies the edges written since and deletes the links of the identifiers that became shared.',
      columns: [
        { name: 'node_a', description: 'Smaller node key.', tests: ['not_null'] },
        { name: 'node_b', description: 'Larger node key.', tests: ['not_null'] },
      ],
    },
  ];
  if (g.unsharedModel) {
    docs.push({
      name: g.unsharedModel,
      description:
        'Shared re-split: connected components, over the stitch edges, of the first-pass clusters that hold a shared ' +
        'identifier (an incremental first pass still holds what an identifier stitched before it became shared; none on a ' +
        'consistent build). Lists every member of those clusters; node ids above the largest identifier node are placeholders.',
      columns: [
        { name: 'node_id', description: 'Node key (or a placeholder).', tests: ['unique', 'not_null'] },
        { name: 'component_id', description: 'Smallest node key of its component over the stitch edges.', tests: ['not_null'] },
      ],
    });
  }
  for (const l of g.levels) {
    docs.push({
      name: l.model,
      description:
        `Limit guard, level ${l.level}: connected components of the clusters still over a limit after ` +
        `${l.level === 1 ? 'the first pass' : `level ${l.level - 1}`}, without the links touching ${l.dropTypes.join(', ')}. ` +
        'Lists every member of those clusters; node ids above the largest identifier node are placeholders.',
      columns: [
        { name: 'node_id', description: 'Node key (or a placeholder).', tests: ['unique', 'not_null'] },
        { name: 'component_id', description: 'Smallest node key of its component at this level.', tests: ['not_null'] },
      ],
    });
  }
  if (g.clusterCountsModel) {
    docs.push({
      name: g.clusterCountsModel,
      description:
        'Identifiers per cluster after the first pass and the shared re-split, in all and of each limited id type: level 1 ' +
        'takes the clusters over a limit from here. Incremental: a run recounts only the clusters whose members it changed. ' +
        'A cluster a merge absorbed keeps its row (no node carries its id any more, so no level reads it).',
      columns: [
        { name: 'component_id', description: 'The cluster (its label after the shared re-split).', tests: ['unique', 'not_null'] },
        { name: 'identifiers', description: 'Its identifiers.', tests: ['not_null'] },
        ...g.limits.map((l) => ({ name: `${l.idType}_count`, description: `Its ${l.idType} identifiers (limit ${l.limit}).` })),
        { name: 'updated_at', description: 'The run that last counted it.' },
      ],
    });
  }
  if (g.finalCutModel && g.afterCutModel) {
    docs.push(
      {
        name: g.finalCutModel,
        description:
          'The final cut of the over-stitching guards: the clusters after the last level (the first pass, overridden ' +
          'level by level) and the identifiers still over a limit there (beyond the limit, oldest kept), cut loose as singletons. ' +
          'Lists only the clusters it cuts (the rest are final as the last level left them).',
        columns: [
          { name: 'node_id', description: 'Node key.', tests: ['unique', 'not_null'] },
          { name: 'stitched_component_id', description: 'Its cluster after the last level, before the final cut.', tests: ['not_null'] },
          { name: 'cut_reason', description: 'Why the final cut took the identifier out (shared_identifier, limit:<type> or max_cluster_size); null otherwise.' },
          { name: 'cluster_cuts', description: 'How many identifiers the final cut took out of its cluster (0: the cluster is final as it is).', tests: ['not_null'] },
        ],
      },
      {
        name: g.afterCutModel,
        description:
          'Connected components of what the final cut left of the clusters it cut, over the stitch edges between their ' +
          'remaining members (never a link of an identifier cut loose). One row per remaining member with a link left.',
        columns: [
          { name: 'node_id', description: 'Node key.', tests: ['unique', 'not_null'] },
          { name: 'component_id', description: 'Smallest (oldest) node key of its part.', tests: ['not_null'] },
        ],
      },
    );
  }
  if (g.resolvedModel && g.finalCutModel) {
    docs.push({
      name: g.resolvedModel,
      description:
        'Final clusters after the over-stitching guards: the clusters after the last level; where the final cut took ' +
        'identifiers out, they are singletons and the rest is split into the parts the remaining links connect.',
      columns: [
        { name: 'node_id', description: 'Node key.', tests: ['unique', 'not_null'] },
        { name: 'component_id', description: 'Smallest (oldest) node key of the final cluster.', tests: ['not_null'] },
        { name: 'cut_reason', description: 'Why the final cut made the identifier a singleton (shared_identifier, limit:<type> or max_cluster_size); null otherwise.' },
        { name: 'stitched_component_id', description: 'Its cluster before the final cut.' },
      ],
    });
  } else if (g.resolvedModel) {
    docs.push({
      name: g.resolvedModel,
      description:
        'Final clusters after the over-stitching guards (shared_identifier_max_links alone): the first pass, overridden by ' +
        'the shared re-split where a cluster held an identifier that became shared after it stitched.',
      columns: [
        { name: 'node_id', description: 'Node key.', tests: ['unique', 'not_null'] },
        { name: 'component_id', description: 'Smallest (oldest) node key of the final cluster.', tests: ['not_null'] },
      ],
    });
  }
  return docs;
}

export function auditDoc(model: string): ModelDoc {
  return {
    name: model,
    description:
      'Identity audit: one row per link the over-stitching guards dropped, and per junk or excluded identifier value ' +
      '(per input column). Reasons: shared_identifier, limit:<id type>, max_cluster_size, junk, excluded.',
    columns: [
      { name: 'id_type', description: 'Id type of the identifier the row is about (for a dropped link: the end that caused the drop).', tests: ['not_null'] },
      { name: 'id_value', description: 'Its value (normalised; for junk / excluded: the raw value).' },
      { name: 'other_id_type', description: 'Id type of the other end of the dropped link (null for junk / excluded).' },
      { name: 'other_id_value', description: 'Value of the other end of the dropped link.' },
      {
        name: 'reason',
        description: "shared_identifier | limit:<id type> | max_cluster_size | junk | excluded",
        tests: ['not_null'],
      },
      { name: 'detail', description: 'Why, in words (counts, limit, level; input and column for junk / excluded).' },
      { name: 'node_id', description: 'Node key of id_value (null for junk / excluded).' },
      { name: 'other_node_id', description: 'Node key of other_id_value.' },
    ],
  };
}
