// Spec → ProjectPlan. Pure: no I/O, no clock. Decides every name the generated project uses.

import type {
  AggregateFeatureSpec,
  DerivedFeatureSpec,
  FeatureSpec,
  IdTypeSpec,
  InputSpec,
  Spec,
} from '../spec/types.js';
import type {
  BaseColumnPlan,
  DerivedLayerPlan,
  EdgePairPlan,
  FeatureModelPlan,
  FilterGroupPlan,
  IdColumnPlan,
  ModelDoc,
  ProjectPlan,
  RegistryRowPlan,
  SourcePlan,
  StagingPlan,
} from './types.js';
import { auditDoc, guardIdentityDocs, planGuards } from './guards.js';

export const stagingModelName = (input: string) => `stg_${input}`;
export const idRowsModelName = (input: string) => `int_${input}__ids`;
export const featureModelName = (input: string) => `int_${input}__features`;
/** Column that carries the canonical id inside generated CTEs (never collides with user columns). */
export const ENTITY_KEY = 'c360_entity_id';
export const DEFAULT_CLUSTER_SIZE_WARN = 50;

export function buildPlan(spec: Spec, specFile = 'c360.yml'): ProjectPlan {
  const idTypes = new Map(spec.idTypes.map((t) => [t.name, t]));
  const entityIdColumn = `${spec.entity}_id`;
  const sources = planSources(spec);
  const staging = spec.inputs.map((input) => planStaging(input, idTypes, sources));

  const occurrences = staging.flatMap((s) =>
    s.ids.map((c) => ({ input: s.input, idRowsModel: s.idRowsModel, idType: c.idType, cleanColumn: c.cleanColumn })),
  );
  const pairs: EdgePairPlan[] = [];
  for (const s of staging) {
    for (let i = 0; i < s.ids.length; i++) {
      for (let j = i + 1; j < s.ids.length; j++) {
        pairs.push({ input: s.input, idRowsModel: s.idRowsModel, a: s.ids[i], b: s.ids[j] });
      }
    }
  }

  const features = planFeatureModels(spec, staging);
  const mart = planMart(spec, features);
  const registry = { model: `${spec.entity}_feature_registry`, rows: spec.features.map(registryRow) };
  const guards = planGuards(spec);
  const identity = {
    identifiersModel: `int_${spec.entity}__identifiers`,
    edgesModel: `int_${spec.entity}__edges`,
    sharedIdentifiersModel: `int_${spec.entity}__shared_identifiers`,
    stitchEdgesModel: `int_${spec.entity}__stitch_edges`,
    firstPassComponentsModel: `int_${spec.entity}__components`,
    // id_graph reads the final clusters: the guards' resolved model when limits apply.
    componentsModel: guards.resolvedModel ?? `int_${spec.entity}__components`,
    auditModel: `${spec.entity}_identity_audit`,
    guards,
    idGraphModel: `${spec.entity}_id_graph`,
    summaryModel: `${spec.entity}_identity_summary`,
    issuedIdsModel: `int_${spec.entity}__issued_ids`,
    mergesModel: `${spec.entity}_id_merges`,
    largestClustersModel: `${spec.entity}_largest_clusters`,
    occurrences,
    pairs,
  };

  const plan: ProjectPlan = {
    // The project is named after the vendored macro package so that `c360.<macro>` and
    // adapter.dispatch(..., 'c360') resolve without `dbt deps` (docs/decisions/0001).
    projectName: 'c360',
    entity: spec.entity,
    entityIdColumn,
    specFile,
    idTypes: spec.idTypes.map((t) => t.name),
    clusterSizeWarn: DEFAULT_CLUSTER_SIZE_WARN,
    warehouse: spec.warehouse,
    sources,
    staging,
    identity,
    features,
    mart: { model: `${spec.entity}_360`, ...mart },
    registry,
    docs: { staging: [], identity: [], features: [], marts: [] },
  };
  plan.docs = planDocs(spec, plan);
  return plan;
}

function planSources(spec: Spec): SourcePlan[] {
  const declared = new Map(spec.sources.map((s) => [s.name, s]));
  const byName = new Map<string, SourcePlan>();
  for (const input of spec.inputs) {
    const r = input.relation;
    let sourceName: string;
    let table: string;
    if (r.kind === 'source') {
      sourceName = r.source;
      table = r.table;
    } else if (r.kind === 'table') {
      sourceName = r.schema ?? 'main';
      table = r.table;
    } else continue;
    let src = byName.get(sourceName);
    if (!src) {
      const d = declared.get(sourceName);
      src = { name: sourceName, schema: d?.schema ?? sourceName, database: d?.database ?? null, tables: [] };
      byName.set(sourceName, src);
    }
    if (!src.tables.some((t) => t.name === table)) {
      src.tables.push({ name: table, description: input.description ?? `Raw rows of input \`${input.name}\`.` });
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function relationJinja(input: InputSpec): string {
  const r = input.relation;
  if (r.kind === 'source') return `source('${r.source}', '${r.table}')`;
  if (r.kind === 'table') return `source('${r.schema ?? 'main'}', '${r.table}')`;
  return `ref('${r.model}')`;
}

function planStaging(input: InputSpec, idTypes: Map<string, IdTypeSpec>, _sources: SourcePlan[]): StagingPlan {
  const ids: IdColumnPlan[] = input.ids.map(({ idType, column }) => {
    const t = idTypes.get(idType)!;
    return {
      idType,
      column,
      cleanColumn: `c360_${idType}__${column.toLowerCase()}`,
      normalize: t.normalize,
      junk: t.junk,
      junkValues: t.junkValues,
      excludeValues: t.excludeValues,
      excludeRegex: t.excludeRegex,
      defaultCountry: t.defaultCountry,
    };
  });
  return {
    input: input.name,
    model: stagingModelName(input.name),
    idRowsModel: idRowsModelName(input.name),
    relationJinja: relationJinja(input),
    occurredAt: input.occurredAt,
    ids,
    where: input.where,
    description: input.description ?? `Input \`${input.name}\` with its timestamp as occurred_at and normalised identifiers.`,
  };
}

function isAggregate(f: FeatureSpec): f is AggregateFeatureSpec {
  return f.kind === 'aggregate';
}

function filterKey(f: AggregateFeatureSpec): string {
  return JSON.stringify([f.where ?? '', f.window ? `${f.window.amount} ${f.window.unit}` : '']);
}

function planFeatureModels(spec: Spec, staging: StagingPlan[]): FeatureModelPlan[] {
  const aggregates = spec.features.filter(isAggregate);
  const models: FeatureModelPlan[] = [];
  for (const s of staging) {
    const mine = aggregates.filter((f) => f.from.includes(s.input));
    if (mine.length === 0) continue;
    const groups = new Map<string, FilterGroupPlan>();
    for (const f of mine) {
      const key = filterKey(f);
      let g = groups.get(key);
      if (!g) {
        g = { cte: '', where: f.where, window: f.window, aggregates: [] };
        groups.set(key, g);
      }
      g.aggregates.push({
        column: f.from.length > 1 ? partialColumn(f.name, s.input) : f.name,
        agg: f.agg,
        aggFunction: f.aggFunction,
      });
    }
    // The unfiltered group is `all_rows`; filtered groups are numbered in spec order.
    const list = [...groups.values()];
    let filtered = 0;
    for (const g of list) g.cte = g.where === null && g.window === null ? 'all_rows' : `filter_${++filtered}`;
    models.push({ input: s.input, model: featureModelName(s.input), stagingModel: s.model, ids: s.ids, groups: list });
  }
  return models;
}

export const partialColumn = (feature: string, input: string) => `${feature}__${input}`;

function isCount(f: AggregateFeatureSpec) {
  return f.aggFunction === 'count' || f.aggFunction === 'count_distinct';
}

function planMart(spec: Spec, models: FeatureModelPlan[]) {
  const modelOf = new Map(models.map((m) => [m.input, m.model]));
  const baseColumns: BaseColumnPlan[] = [];
  for (const f of spec.features.filter(isAggregate)) {
    if (f.from.length === 1) {
      const ref = `${modelOf.get(f.from[0])}.${f.name}`;
      baseColumns.push({ feature: f.name, sql: isCount(f) ? `coalesce(${ref}, 0)` : ref });
      continue;
    }
    const parts = f.from.map((i) => `${modelOf.get(i)}.${partialColumn(f.name, i)}`);
    baseColumns.push({ feature: f.name, sql: combinePartials(f, parts) });
  }

  const derived = spec.features.filter((f): f is DerivedFeatureSpec => f.kind === 'derived');
  const level = new Map<string, number>();
  for (const f of spec.features) if (isAggregate(f)) level.set(f.name, 0);
  // Derived features are layered so that each layer only references columns of earlier layers.
  const pending = [...derived];
  while (pending.length > 0) {
    const before = pending.length;
    for (let i = 0; i < pending.length; i++) {
      const f = pending[i];
      if (f.dependsOn.every((d) => level.has(d))) {
        level.set(f.name, 1 + Math.max(0, ...f.dependsOn.map((d) => level.get(d)!)));
        pending.splice(i--, 1);
      }
    }
    if (pending.length === before) throw new Error(`plan: cycle among derived features ${pending.map((p) => p.name).join(', ')}`);
  }
  const maxLevel = Math.max(0, ...derived.map((f) => level.get(f.name)!));
  const derivedLayers: DerivedLayerPlan[] = [];
  for (let l = 1; l <= maxLevel; l++) {
    derivedLayers.push({
      cte: `derived_${l}`,
      from: l === 1 ? 'base' : `derived_${l - 1}`,
      columns: derived.filter((f) => level.get(f.name) === l).map((f) => ({ feature: f.name, expr: f.expr })),
    });
  }
  return { baseColumns, derivedLayers, featureOrder: spec.features.map((f) => f.name) };
}

/** Combine per-input partial aggregates portably (least/greatest with coalesce ignore nulls). */
function combinePartials(f: AggregateFeatureSpec, parts: string[]): string {
  const coalesced = parts.map((p, i) => `coalesce(${[p, ...parts.filter((_, j) => j !== i)].join(', ')})`);
  switch (f.aggFunction) {
    case 'count':
    case 'count_distinct':
      return parts.map((p) => `coalesce(${p}, 0)`).join(' + ');
    case 'sum':
      return `case when ${parts.map((p) => `${p} is null`).join(' and ')} then null else ${parts.map((p) => `coalesce(${p}, 0)`).join(' + ')} end`;
    case 'min':
      return `least(${coalesced.join(', ')})`;
    case 'max':
      return `greatest(${coalesced.join(', ')})`;
    default:
      throw new Error(`plan: ${f.aggFunction} cannot combine across inputs (feature ${f.name})`);
  }
}

function registryRow(f: FeatureSpec): RegistryRowPlan {
  if (f.kind === 'aggregate') {
    return {
      name: f.name,
      kind: 'aggregate',
      description: f.description ?? '',
      inputs: f.from.join(', '),
      definition: f.agg,
      filter: f.where ?? '',
      window: f.window?.text ?? '',
      dependsOn: '',
    };
  }
  return {
    name: f.name,
    kind: 'derived',
    description: f.description ?? '',
    inputs: '',
    definition: f.expr,
    filter: '',
    window: '',
    dependsOn: f.dependsOn.join(', '),
  };
}

function featureDescription(f: FeatureSpec): string {
  if (f.description) return f.description;
  if (f.kind === 'derived') return `Derived: ${f.expr}`;
  const parts = [`${f.agg} over ${f.from.join(', ')}`];
  if (f.where) parts.push(`where ${f.where}`);
  if (f.window) parts.push(`in the last ${f.window.text}`);
  return parts.join(' ');
}

function planDocs(spec: Spec, plan: ProjectPlan): ProjectPlan['docs'] {
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
        { name: 'occurred_at', description: 'The row\'s timestamp (the incremental watermark).' },
        ...s.ids.map((c) => ({ name: c.cleanColumn, description: `Normalised ${c.idType} from \`${c.column}\`.` })),
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
        { name: 'last_seen_at', description: 'Latest occurred_at of any row carrying the identifier (the incremental watermark).' },
      ],
    },
    {
      name: i.edgesModel,
      description: 'Identity edges: pairs of identifiers that appear in the same input row, as node keys (node_a < node_b); incremental.',
      columns: [
        { name: 'node_a', description: 'Smaller node key.', tests: ['not_null'] },
        { name: 'node_b', description: 'Larger node key.', tests: ['not_null'] },
        { name: 'first_seen_at', description: 'Earliest occurred_at of a row that links the pair.' },
        { name: 'last_seen_at', description: 'Latest occurred_at of a row that links the pair (the incremental watermark).' },
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
