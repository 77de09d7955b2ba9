// Spec → ProjectPlan. Pure: no I/O, no clock. Decides every name the generated project uses.

import type {
  AggregateFeatureSpec,
  DerivedFeatureSpec,
  FeatureSpec,
  IdTypeSpec,
  InputSpec,
  Spec,
} from '../spec/types.js';
import { planDocs } from './docs.js';
import type {
  BaseColumnPlan,
  DerivedLayerPlan,
  EdgePairPlan,
  FeatureModelPlan,
  FilterGroupPlan,
  IdColumnPlan,
  ProjectPlan,
  RegistryRowPlan,
  RulesGuardPlan,
  SourcePlan,
  StagingPlan,
} from './types.js';
import { planGuards } from './guards.js';
import { identityRules } from './identity-rules.js';

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
  const staging = spec.inputs.map((input) => planStaging(input, idTypes));

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
  const guarded = guards.limited || guards.sharedRule;
  const stitchEdgesModel = `int_${spec.entity}__stitch_edges`;
  const idRowsModels = staging.map((s) => s.idRowsModel);
  const identifiersModel = `int_${spec.entity}__identifiers`;
  const edgesModel = `int_${spec.entity}__edges`;
  const firstPassComponentsModel = `int_${spec.entity}__components`;
  const sharedIdentifiersModel = `int_${spec.entity}__shared_identifiers`;
  const rulesGuard: RulesGuardPlan = {
    stateModel: `int_${spec.entity}__identity_rules`,
    models: [
      ...idRowsModels.map((model) => ({ model, upstream: [] })),
      { model: identifiersModel, upstream: idRowsModels },
      { model: edgesModel, upstream: [...idRowsModels, identifiersModel] },
      // with a shared rule (a limit or shared_identifier_max_links) the shared identifiers count
      // the links incrementally and the stitch edges copy only the edges written since; without
      // one (max_cluster_size alone) both are views, which record nothing
      ...(guards.sharedRule
        ? [
            { model: sharedIdentifiersModel, upstream: [...idRowsModels, identifiersModel, edgesModel] },
            { model: stitchEdgesModel, upstream: [...idRowsModels, identifiersModel, edgesModel, sharedIdentifiersModel] },
          ]
        : []),
      {
        model: firstPassComponentsModel,
        upstream: [...idRowsModels, identifiersModel, edgesModel, ...(guards.sharedRule ? [sharedIdentifiersModel, stitchEdgesModel] : [])],
      },
      // the cluster counts recount only the clusters a run changed (with limit levels)
      ...(guards.clusterCountsModel
        ? [
            {
              model: guards.clusterCountsModel,
              upstream: [...idRowsModels, identifiersModel, edgesModel, sharedIdentifiersModel, stitchEdgesModel, firstPassComponentsModel],
            },
          ]
        : []),
    ],
    // every guarded model is downstream of some input's id rows
    rebuild: idRowsModels.map((m) => `${m}+`),
  };
  const identity = {
    identifiersModel,
    edgesModel,
    // without any guard nothing can be shared: no shared-identifier and stitch-edge models (two
    // nodes every run would rebuild for nothing), the first pass reads the edges
    sharedIdentifiersModel: guarded ? sharedIdentifiersModel : null,
    stitchEdgesModel: guarded ? stitchEdgesModel : null,
    stitchSourceModel: guarded ? stitchEdgesModel : edgesModel,
    firstPassComponentsModel,
    // id_graph reads the final clusters: the guards' resolved model when limits apply.
    componentsModel: guards.resolvedModel ?? firstPassComponentsModel,
    auditModel: `${spec.entity}_identity_audit`,
    guards,
    idGraphModel: `${spec.entity}_id_graph`,
    summaryModel: `${spec.entity}_identity_summary`,
    issuedIdsModel: `int_${spec.entity}__issued_ids`,
    mergesModel: `${spec.entity}_id_merges`,
    largestClustersModel: `${spec.entity}_largest_clusters`,
    occurrences,
    pairs,
    rulesGuard,
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
    identityRules: identityRules(spec),
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

function planStaging(input: InputSpec, idTypes: Map<string, IdTypeSpec>): StagingPlan {
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
