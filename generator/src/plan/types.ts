// The project plan: the intermediate representation between the spec and the emitted files.
// Every name, column and test of the generated project is decided here; templates only render it.

import type { AggFunction, Normalizer, WindowSpec, WarehouseSpec } from '../spec/types.js';

export interface IdColumnPlan {
  idType: string;
  /** Raw column in the input relation. */
  column: string;
  /** Column of the staging model holding the normalised value (null when junk or excluded). */
  cleanColumn: string;
  normalize: Normalizer;
  junk: boolean;
  /** Extra junk values of the type (`junk_values`); passed to c360.clean_id with the exclusions. */
  junkValues: string[];
  excludeValues: string[];
  excludeRegex: string[];
  defaultCountry: string;
}

export interface StagingPlan {
  input: string;
  model: string;
  /** Narrow incremental table of the input's normalised identifiers (identity reads only this). */
  idRowsModel: string;
  /** `source('raw', 'orders')` or `ref('x')`, as Jinja inside {{ }}. */
  relationJinja: string;
  occurredAt: string;
  ids: IdColumnPlan[];
  where: string | null;
  description: string;
}

export interface SourceTablePlan {
  name: string;
  description: string;
}

export interface SourcePlan {
  name: string;
  schema: string;
  database: string | null;
  tables: SourceTablePlan[];
}

/** An edge between two id columns that appear in the same row of an input. */
export interface EdgePairPlan {
  input: string;
  idRowsModel: string;
  a: IdColumnPlan;
  b: IdColumnPlan;
}

/** One aggregate computed in a feature model; its output column name. */
export interface AggregatePlan {
  /** Column in the feature model: the feature name, or `<feature>__<input>` for a partial. */
  column: string;
  agg: string;
  aggFunction: AggFunction;
}

/** A group of aggregates sharing the same row filter, computed in one CTE. */
export interface FilterGroupPlan {
  cte: string;
  where: string | null;
  window: WindowSpec | null;
  aggregates: AggregatePlan[];
}

export interface FeatureModelPlan {
  input: string;
  model: string;
  stagingModel: string;
  /** In priority order: the first non-null identifier of a row decides its entity. */
  ids: IdColumnPlan[];
  groups: FilterGroupPlan[];
}

export interface BaseColumnPlan {
  feature: string;
  /** SQL over the joined feature models, e.g. `coalesce(int_orders__features.order_count, 0)`. */
  sql: string;
}

export interface DerivedLayerPlan {
  cte: string;
  from: string;
  columns: { feature: string; expr: string }[];
}

export interface RegistryRowPlan {
  name: string;
  kind: 'aggregate' | 'derived';
  description: string;
  inputs: string;
  definition: string;
  filter: string;
  window: string;
  dependsOn: string;
}

export interface ColumnDoc {
  name: string;
  description: string;
  tests?: string[];
}

export interface ModelDoc {
  name: string;
  description: string;
  columns: ColumnDoc[];
}

export interface ProjectPlan {
  /** dbt project and profile name. */
  projectName: string;
  entity: string;
  entityIdColumn: string;
  specFile: string;
  /** Id type names in spec order. */
  idTypes: string[];
  /** Clusters with more identifiers than this raise a warning test. */
  clusterSizeWarn: number;
  /** Fingerprints of the stitching rules, written into dbt_project.yml vars. */
  identityRules: import('./identity-rules.js').IdentityRules;
  warehouse: WarehouseSpec;
  sources: SourcePlan[];
  staging: StagingPlan[];
  identity: {
    identifiersModel: string;
    edgesModel: string;
    /** Shared identifiers (linked to too many identifiers): they stop stitching. Null without any
     * guard (no limit, max_cluster_size or shared_identifier_max_links): nothing can be shared. */
    sharedIdentifiersModel: string | null;
    /** The edges minus the links of shared identifiers: what connected components run on. Null
     * without any guard: the first pass reads edgesModel. */
    stitchEdgesModel: string | null;
    /** The edges the first pass reads: stitchEdgesModel, or edgesModel without any guard. */
    stitchSourceModel: string;
    /** First connected-components pass (over stitchSourceModel); keeps the `__rounds` side table. */
    firstPassComponentsModel: string;
    /** The final (node_id, component_id): guards.resolvedModel when a limit, max_cluster_size or shared_identifier_max_links is set, else the first pass. */
    componentsModel: string;
    /** One row per dropped link or junk / excluded identifier. */
    auditModel: string;
    guards: IdentityGuardsPlan;
    idGraphModel: string;
    summaryModel: string;
    issuedIdsModel: string;
    mergesModel: string;
    largestClustersModel: string;
    /** Every id column of every input, for the identifier dictionary. */
    occurrences: StagingIdOccurrence[];
    pairs: EdgePairPlan[];
    rulesGuard: RulesGuardPlan;
  };
  features: FeatureModelPlan[];
  mart: {
    model: string;
    baseColumns: BaseColumnPlan[];
    derivedLayers: DerivedLayerPlan[];
    /** Final column order after the entity id. */
    featureOrder: string[];
  };
  registry: { model: string; rows: RegistryRowPlan[] };
  docs: { staging: ModelDoc[]; identity: ModelDoc[]; features: ModelDoc[]; marts: ModelDoc[] };
}

export interface GuardLimitPlan {
  idType: string;
  limit: number;
}

/** One level of the limit guard: clusters still over a limit lose the links touching dropTypes. */
export interface GuardLevelPlan {
  level: number;
  /** int_<entity>__components_l<level>, materialized c360_connected_components. */
  model: string;
  /** Id types whose links this level drops (one priority; several when they share it). */
  dropTypes: string[];
  /** Id types dropped by the earlier levels. */
  droppedBefore: string[];
  /**
   * The models whose labels override the first pass before this level, in order: the shared
   * re-split (when an identifier can be shared), then the earlier levels.
   */
  previousModels: string[];
}

export interface IdentityGuardsPlan {
  /** Limits in priority order, highest priority first. */
  limits: GuardLimitPlan[];
  maxClusterSize: number | null;
  /** True when a limit or max_cluster_size is set: limit levels, the limit part of the final cut, assert_cluster_limits. */
  limited: boolean;
  sharedIdentifierMaxLinks: number | null;
  /** True when some identifier can be shared (a limit or shared_identifier_max_links is set). */
  sharedRule: boolean;
  /** Id types with their resolved priority, highest first (1 = highest). */
  priorities: { idType: string; priority: number }[];
  /**
   * int_<entity>__components_unshared when an identifier can be shared (sharedRule), materialized
   * c360_connected_components: the first-pass clusters that hold a shared identifier (an
   * incremental first pass still holds what an identifier stitched before it became shared),
   * re-run over the stitch edges, with a placeholder link per member. Its labels override the
   * first pass before any level.
   */
  unsharedModel: string | null;
  /** Empty unless a limit or max_cluster_size is set. */
  levels: GuardLevelPlan[];
  /**
   * int_<entity>__cluster_counts when there are levels, else null: incremental, one row per
   * cluster after the first pass and the shared re-split, with its identifiers in all and of each
   * limited id type. Level 1 takes the clusters over a limit from it; a run recounts only the
   * clusters it changed.
   */
  clusterCountsModel: string | null;
  /**
   * int_<entity>__final_cut when a limit or max_cluster_size is set (limited): the clusters after
   * the last level and, per identifier, why the final cut took it out (cut_reason) and how many
   * its cluster lost.
   */
  finalCutModel: string | null;
  /**
   * int_<entity>__components_after_cut (with finalCutModel), materialized c360_connected_components:
   * the clusters the final cut touched, re-split over the links left between their remaining members.
   */
  afterCutModel: string | null;
  /**
   * int_<entity>__resolved_components when a limit, max_cluster_size or shared_identifier_max_links
   * is set, else null: a view of the final clusters. With a final cut it has cut_reason and
   * stitched_component_id; with shared_identifier_max_links alone only node_id and component_id
   * (the first pass with the shared re-split over it).
   */
  resolvedModel: string | null;
  /** Every id type dropped by some level. */
  droppedTypes: string[];
}

export interface StagingIdOccurrence {
  input: string;
  idRowsModel: string;
  idType: string;
  cleanColumn: string;
}

/**
 * The stitching-rule guard (docs/decisions/0006): every incremental identity model records the
 * rules it was built with in the state model (post-hook) and refuses an incremental run after a
 * change that can split clusters (pre-hook).
 */
export interface RulesGuardPlan {
  /** int_<entity>__identity_rules: one row per guarded model, kept across --full-refresh. */
  stateModel: string;
  /** The incremental identity models, in build order: int_<input>__ids…, identifiers, edges, components. */
  models: { model: string; /** The guarded models it reads, directly or through other models. */ upstream: string[] }[];
  /** dbt selectors that rebuild every guarded model and everything downstream of them. */
  rebuild: string[];
}
