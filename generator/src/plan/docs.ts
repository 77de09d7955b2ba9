// Descriptions and tests of every generated model and column (the yml files), from the plan.

import type { FeatureSpec, Spec } from '../spec/types.js';
import { auditDoc, guardIdentityDocs } from './guards.js';
import type { ModelDoc, ProjectPlan } from './types.js';

function featureDescription(f: FeatureSpec): string {
  if (f.description) return f.description;
  if (f.kind === 'derived') return `Derived: ${f.expr}`;
  const parts = [`${f.agg} over ${f.from.join(', ')}`];
  if (f.where) parts.push(`where ${f.where}`);
  if (f.window) parts.push(`in the last ${f.window.text}`);
  return parts.join(' ');
}

export function planDocs(spec: Spec, plan: ProjectPlan): ProjectPlan['docs'] {
  const id = plan.entityIdColumn;
  const staging: ModelDoc[] = plan.staging.map((s) => ({
    name: s.model,
    description: s.description,
    columns: [
      { name: 'occurred_at', description: `The input's timestamp (\`${s.occurredAt}\`) as a timestamp.` },
      ...s.ids.map((c) => ({
        name: c.cleanColumn,
        description: `\`${c.column}\` as a ${c.idType} identifier, normalised (${c.normalize}); null when empty, junk or excluded.`,
      })),
    ],
  }));
  const i = plan.identity;
  const identity: ModelDoc[] = [
    ...plan.staging.map((s) => ({
      name: s.idRowsModel,
      description: `The normalised identifiers of input \`${s.input}\`, one row per input row that has any (incremental: new rows are appended). Identity reads this narrow table, so each row is normalised once.`,
      columns: [
        { name: 'occurred_at', description: 'The row\'s timestamp (this table\'s incremental watermark against its input).' },
        ...s.ids.map((c) => ({ name: c.cleanColumn, description: `Normalised ${c.idType} from \`${c.column}\`.` })),
        { name: 'loaded_at', description: 'The run that appended the row: the dictionary and the edges read the rows loaded after their own last write.' },
      ],
    })),
    {
      name: i.identifiersModel,
      description: 'Identifier dictionary: one row per distinct (id_type, id_value), numbered in first-seen order (ties by type, then value); incremental runs append new identifiers after the largest node_id.',
      columns: [
        { name: 'node_id', description: 'Dense BIGINT key of the identifier.', tests: ['unique', 'not_null'] },
        { name: 'id_type', description: 'Identifier type from the spec.', tests: ['not_null'] },
        { name: 'id_value', description: 'Normalised identifier value.', tests: ['not_null'] },
        { name: 'first_seen_at', description: 'Earliest occurred_at of any row carrying the identifier.' },
        { name: 'last_seen_at', description: 'Latest occurred_at of any row carrying the identifier.' },
        { name: 'updated_at', description: 'Start of the dbt run that last wrote the row (new, or first/last seen moved).' },
      ],
    },
    {
      name: i.edgesModel,
      description: 'Identity edges: pairs of identifiers that appear in the same input row, as node keys (node_a < node_b); incremental.',
      columns: [
        { name: 'node_a', description: 'Smaller node key.', tests: ['not_null'] },
        { name: 'node_b', description: 'Larger node key.', tests: ['not_null'] },
        { name: 'first_seen_at', description: 'Earliest occurred_at of a row that links the pair.' },
        { name: 'last_seen_at', description: 'Latest occurred_at of a row that links the pair.' },
        { name: 'updated_at', description: 'Start of the dbt run that last wrote the link; connected components read only newer links.' },
      ],
    },
    {
      name: i.rulesGuard.stateModel,
      description:
        'The stitching rules (vars.c360_identity_rules fingerprints) each incremental identity model was last built with, one row per model (kept across --full-refresh). ' +
        'Written by the models\' post-hooks; their pre-hooks stop an incremental run after a change that can split clusters.',
      columns: [
        { name: 'model_name', description: 'The identity model.', tests: ['unique', 'not_null'] },
        { name: 'id_types', description: 'Fingerprint of the id type rules (normalisation, junk, exclusions, limits, guards).' },
        { name: 'inputs', description: 'JSON object: fingerprint of each input\'s ids, where and relation.' },
        { name: 'recorded_at', description: 'Start of the dbt run that built the model.' },
      ],
    },
    {
      name: i.issuedIdsModel,
      description: 'Every canonical id ever issued, with the identifier it is named after (kept across --full-refresh).',
      columns: [
        { name: id, description: `Canonical ${spec.entity} id.`, tests: ['unique', 'not_null'] },
        { name: 'id_type', description: 'Id type of the naming identifier.' },
        { name: 'id_value', description: 'Value of the naming identifier.' },
        { name: 'issued_at', description: 'Start of the dbt run that first issued it.' },
      ],
    },
    {
      name: i.firstPassComponentsModel,
      description: 'Connected components of the stitch edges (randomized contraction in O(log n) rounds; incremental runs resolve only the components new edges touch). One row per linked node.',
      columns: [
        { name: 'node_id', description: 'Node key.', tests: ['unique', 'not_null'] },
        { name: 'component_id', description: 'Smallest (oldest) node key of the component.', tests: ['not_null'] },
        { name: 'updated_at', description: 'Start of the dbt run that last relabelled or added the node.' },
      ],
    },
    ...guardIdentityDocs(i),
  ];
  const features: ModelDoc[] = plan.features.map((m) => ({
    name: m.model,
    description: `Features computed from input \`${m.input}\`: one row per ${spec.entity} with rows in it.`,
    columns: [
      { name: id, description: `Canonical ${spec.entity} id.`, tests: ['unique', 'not_null'] },
      ...m.groups.flatMap((g) => g.aggregates.map((a) => ({ name: a.column, description: `${a.agg}${g.where ? ` where ${g.where}` : ''}${g.window ? ` in the last ${g.window.text}` : ''}` }))),
    ],
  }));
  const marts: ModelDoc[] = [
    {
      name: i.idGraphModel,
      description: `Every identifier with the canonical ${spec.entity} id it resolves to.`,
      columns: [
        { name: 'id_type', description: 'Identifier type.', tests: ['not_null'] },
        { name: 'id_value', description: 'Normalised identifier value.', tests: ['not_null'] },
        { name: id, description: `Canonical ${spec.entity} id: a hash of the cluster's oldest identifier.`, tests: ['not_null'] },
        { name: 'first_seen_at', description: 'Earliest occurred_at of the identifier.' },
        { name: 'node_id', description: 'Node key in the identifier dictionary.', tests: ['unique', 'not_null'] },
        ...(i.guards.resolvedModel ? [] : [{ name: 'updated_at', description: "Start of the dbt run that last recomputed the identifier's cluster (incremental runs recompute only changed clusters)." }]),
      ],
    },
    {
      name: plan.mart.model,
      description: `The ${spec.entity} 360: one row per canonical ${spec.entity} id, one column per feature.`,
      columns: [
        { name: id, description: `Canonical ${spec.entity} id.`, tests: ['unique', 'not_null'] },
        ...spec.features.map((f) => ({ name: f.name, description: featureDescription(f) })),
      ],
    },
    {
      name: i.mergesModel,
      description: `Merge history: one row per canonical ${spec.entity} id absorbed into an older one by a merge of clusters, with when it happened.`,
      columns: [
        { name: `absorbed_${id}`, description: 'The canonical id that no longer exists.', tests: ['unique', 'not_null'] },
        { name: `into_${id}`, description: 'The canonical id it was absorbed into (the cluster its naming identifier belongs to now).' },
        { name: 'absorbed_named_after_type', description: 'Id type of the identifier the absorbed id was named after.' },
        { name: 'absorbed_named_after_value', description: 'Value of the identifier the absorbed id was named after.' },
        { name: 'merged_at', description: 'Start of the dbt run that saw the merge.' },
      ],
    },
    {
      name: i.summaryModel,
      description: 'Identity health in one row: identifiers, clusters, stitch ratio, largest cluster, edges and contraction rounds.',
      columns: [
        { name: 'identifiers', description: 'Distinct identifiers.' },
        { name: `${spec.entity}s`, description: `Canonical ${spec.entity}s (clusters).` },
        { name: `stitched_${spec.entity}s`, description: 'Clusters with more than one identifier.' },
        { name: 'stitched_identifiers', description: 'Identifiers in clusters with more than one identifier.' },
        { name: `identifiers_per_${spec.entity}`, description: 'Stitch ratio: identifiers per cluster.' },
        { name: 'largest_cluster', description: 'Identifiers in the largest cluster.' },
        { name: 'edges', description: 'Identity edges.' },
        { name: 'rounds', description: 'Contraction rounds the connected components took.' },
      ],
    },
    {
      name: i.largestClustersModel,
      description: 'The 100 largest clusters, with identifiers per type: where over-stitching shows first.',
      columns: [
        { name: id, description: `Canonical ${spec.entity} id.`, tests: ['unique', 'not_null'] },
        { name: 'identifiers', description: 'Identifiers in the cluster.' },
        ...plan.idTypes.map((t) => ({ name: `${t}_count`, description: `Identifiers of type ${t}.` })),
        { name: 'first_seen_at', description: 'Earliest first_seen_at of its identifiers.' },
        { name: 'size_rank', description: '1 = largest.' },
      ],
    },
    {
      name: plan.registry.model,
      description: 'Feature registry: one row per feature with its definition and metadata.',
      columns: [
        { name: 'feature_name', description: 'Column name in the 360 table.', tests: ['unique', 'not_null'] },
        { name: 'feature_kind', description: 'aggregate or derived.', tests: ['not_null'] },
        { name: 'description', description: 'What the feature means.' },
        { name: 'inputs', description: 'Inputs an aggregate reads, comma-separated.' },
        { name: 'definition', description: 'The aggregate or expression, as written in the spec.' },
        { name: 'row_filter', description: 'Row filter of an aggregate.' },
        { name: 'time_window', description: 'Window of an aggregate, e.g. 30 days.' },
        { name: 'depends_on', description: 'Features a derived feature uses, comma-separated.' },
      ],
    },
  ];
  marts.push(auditDoc(i.auditModel));
  return { staging, identity, features, marts };
}
