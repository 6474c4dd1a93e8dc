// The sdfg-ts JSON format: its TypeScript shape, the zod schemas that check a document, and their messages.
import { z } from 'zod';
import { allDTypes, type DTypeName } from './dtypes.js';
import { lifetimes, storageTypes, type Lifetime, type StorageType } from './data.js';
import { scheduleTypes, type ScheduleType } from './nodes.js';
import type { AssignOp, BinaryOp, UnaryOp } from './tasklet-ast.js';
import type { WcrOp } from './memlet.js';

export const FORMAT_NAME = 'sdfg-ts';
export const FORMAT_VERSION = 1;

// Symbolic expressions, subsets and ranges are stored as their text (`Expr.toString()`, `formatSubset`),
// dtypes by their DaCe name, and everything else as plain data mirroring the in-memory model.

export interface LocJson { file: string; line: number; column: number }
export interface PosJson { line: number; column: number }

/** A number that may be infinite or NaN (JSON has no spelling for those, so they are strings). */
export type NumberJson = number | 'Infinity' | '-Infinity' | 'NaN';

export type TExprJson =
  | { k: 'num'; value: NumberJson; isFloat: boolean; pos?: PosJson }
  | { k: 'bool'; value: boolean; pos?: PosJson }
  | { k: 'name'; name: string; pos?: PosJson }
  | { k: 'index'; name: string; indices: TExprJson[]; pos?: PosJson }
  | { k: 'unary'; op: UnaryOp; arg: TExprJson; pos?: PosJson }
  | { k: 'binary'; op: BinaryOp; lhs: TExprJson; rhs: TExprJson; pos?: PosJson }
  | { k: 'ternary'; cond: TExprJson; then: TExprJson; else: TExprJson; pos?: PosJson }
  | { k: 'call'; fn: string; args: TExprJson[]; pos?: PosJson }
  | { k: 'cast'; dtype: DTypeName; arg: TExprJson; pos?: PosJson };

export type AssignTargetJson = Extract<TExprJson, { k: 'name' | 'index' }>;

export type TStmtJson =
  | { k: 'assign'; target: AssignTargetJson; op: AssignOp; value: TExprJson; pos?: PosJson }
  | { k: 'let'; name: string; dtype?: DTypeName; value: TExprJson; pos?: PosJson }
  | { k: 'if'; cond: TExprJson; then: TStmtJson[]; else: TStmtJson[]; pos?: PosJson }
  | { k: 'for'; variable: string; begin: TExprJson; end: TExprJson; step: TExprJson; body: TStmtJson[]; pos?: PosJson };

export type TaskletCodeJson =
  | { language: 'tasklet'; body: TStmtJson[]; source?: string }
  | { language: 'Python' | 'CPP' | 'CUDA' | 'WGSL' | 'HLS'; source: string };

export type WcrJson =
  | { op: Exclude<WcrOp, 'custom'> }
  | { op: 'custom'; params: [string, string]; body: TExprJson };

export interface MemletJson {
  data: string | null;
  subset: string | null;
  otherSubset: string | null;
  volume: string;
  dynamic: boolean;
  wcr: WcrJson | null;
}

interface DataCommonJson { dtype: DTypeName; transient: boolean; storage: StorageType; lifetime: Lifetime }
interface ArrayLikeJson extends DataCommonJson {
  shape: string[]; strides: string[]; offset: string[]; totalSize: string;
  alignment: number; startOffset: number; mayAlias: boolean;
}
export type DataJson =
  | ({ kind: 'Array' } & ArrayLikeJson)
  | ({ kind: 'View' } & ArrayLikeJson)
  | ({ kind: 'Scalar' } & DataCommonJson)
  | ({ kind: 'Stream'; shape: string[]; bufferSize: string } & DataCommonJson);

export type ConnectorsJson = Record<string, DTypeName | null>;
interface NodeCommonJson { id: number; label: string; inConnectors: ConnectorsJson; outConnectors: ConnectorsJson; loc?: LocJson }

export interface MapJson {
  label: string; params: string[]; ranges: string[]; schedule: ScheduleType;
  unroll: boolean; collapse: number; gpuBlockSize?: number[]; vectorWidth?: number;
}
export interface ConsumeJson {
  label: string; peIndex: string; numPes: string; condition: TExprJson | null; schedule: ScheduleType; chunksize: number;
}
export type LibraryOpJson =
  | { name: 'Reduce'; axes: number[] | null; wcr: WcrJson; identity: NumberJson | null }
  | { name: 'MatMul'; alpha: NumberJson; beta: NumberJson }
  | { name: 'Unknown'; classpath: string; attributes: Record<string, unknown> };

/**
 * Exits store the id of their entry instead of a second copy of the shared scope object; an exit whose
 * scope no entry of its state holds (a broken graph, still worth saving) has `entry: null` and its own copy.
 */
export type NodeJson = NodeCommonJson & (
  | { kind: 'AccessNode'; data: string; setzero: boolean }
  | { kind: 'Tasklet'; code: TaskletCodeJson; codeGlobal?: string }
  | { kind: 'MapEntry'; map: MapJson }
  | { kind: 'MapExit'; entry: number | null; map?: MapJson }
  | { kind: 'ConsumeEntry'; consume: ConsumeJson }
  | { kind: 'ConsumeExit'; entry: number | null; consume?: ConsumeJson }
  | { kind: 'NestedSDFG'; sdfg: SdfgBodyJson; symbolMapping: Record<string, string> }
  | { kind: 'LibraryNode'; op: LibraryOpJson; implementation: string | null; schedule: ScheduleType }
);

export interface EdgeJson {
  id: number; src: number; srcConn: string | null; dst: number; dstConn: string | null; memlet: MemletJson; loc?: LocJson;
}
export interface InterstateEdgeJson {
  id: number; src: number; dst: number; condition: TExprJson; assignments: Record<string, TExprJson>; loc?: LocJson;
}

export interface CfgJson {
  blocks: BlockJson[]; edges: InterstateEdgeJson[]; startBlock: number | null; nextBlockId: number; nextEdgeId: number;
}
export interface StateJson {
  kind: 'State'; id: number; label: string; nodes: NodeJson[]; edges: EdgeJson[];
  nextNodeId: number; nextEdgeId: number; loc?: LocJson;
}
export interface RegionJson extends CfgJson { kind: 'ControlFlowRegion'; id: number; label: string; loc?: LocJson }
export interface LoopJson extends CfgJson {
  kind: 'LoopRegion'; id: number; label: string; loopVariable: string | null;
  init: TExprJson | null; condition: TExprJson; update: TExprJson | null; inverted: boolean; loc?: LocJson;
}
export interface ConditionalJson {
  kind: 'ConditionalBlock'; id: number; label: string;
  branches: { condition: TExprJson | null; body: RegionJson }[]; loc?: LocJson;
}
export type BlockJson = StateJson | RegionJson | LoopJson | ConditionalJson;

/** An SDFG without the document header: the form nested SDFGs take. */
export interface SdfgBodyJson extends CfgJson {
  name: string;
  symbols: Record<string, DTypeName>;
  constants: Record<string, { dtype: DTypeName; value: NumberJson }>;
  arrays: Record<string, DataJson>;
  argNames: string[];
  loc?: LocJson;
}

/** A whole document: the header, then the top-level SDFG's fields. */
export interface SdfgJson extends SdfgBodyJson {
  format: typeof FORMAT_NAME;
  version: typeof FORMAT_VERSION;
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas. Objects are strict so that a misspelt field is reported instead of silently dropped.

const dtypeNames = allDTypes.map((d) => d.name) as [DTypeName, ...DTypeName[]];
const unaryOps: [UnaryOp, ...UnaryOp[]] = ['-', '+', '!', '~'];
const binaryOps: [BinaryOp, ...BinaryOp[]] = [
  '+', '-', '*', '/', '%', '**', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '&', '|', '^', '<<', '>>',
];
const assignOps: [AssignOp, ...AssignOp[]] = ['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>='];

const id = z.number().int().nonnegative();
const count = z.number().int().nonnegative();
const str = z.string();
const dtypeName = z.enum(dtypeNames);
const schedule = z.enum(scheduleTypes as [ScheduleType, ...ScheduleType[]]);
export const numberJsonSchema: z.ZodType<NumberJson> = z.union(
  [z.number(), z.literal('Infinity'), z.literal('-Infinity'), z.literal('NaN')],
  { error: 'expected number' },
);
const locSchema: z.ZodType<LocJson> = z.strictObject({ file: str, line: z.number().int(), column: z.number().int() });
const posSchema: z.ZodType<PosJson> = z.strictObject({ line: z.number().int(), column: z.number().int() });
const pos = posSchema.optional();
const loc = locSchema.optional();

const nameExprSchema = z.strictObject({ k: z.literal('name'), name: str, pos });
const indexExprSchema = z.strictObject({
  k: z.literal('index'), name: str, get indices() { return z.array(texprSchema); }, pos,
});

export const texprSchema: z.ZodType<TExprJson> = z.lazy(() => z.discriminatedUnion('k', [
  z.strictObject({ k: z.literal('num'), value: numberJsonSchema, isFloat: z.boolean(), pos }),
  z.strictObject({ k: z.literal('bool'), value: z.boolean(), pos }),
  nameExprSchema,
  indexExprSchema,
  z.strictObject({ k: z.literal('unary'), op: z.enum(unaryOps), arg: texprSchema, pos }),
  z.strictObject({ k: z.literal('binary'), op: z.enum(binaryOps), lhs: texprSchema, rhs: texprSchema, pos }),
  z.strictObject({ k: z.literal('ternary'), cond: texprSchema, then: texprSchema, else: texprSchema, pos }),
  z.strictObject({ k: z.literal('call'), fn: str, args: z.array(texprSchema), pos }),
  z.strictObject({ k: z.literal('cast'), dtype: dtypeName, arg: texprSchema, pos }),
]));

export const tstmtSchema: z.ZodType<TStmtJson> = z.lazy(() => z.discriminatedUnion('k', [
  z.strictObject({
    k: z.literal('assign'), target: z.discriminatedUnion('k', [nameExprSchema, indexExprSchema]),
    op: z.enum(assignOps), value: texprSchema, pos,
  }),
  z.strictObject({ k: z.literal('let'), name: str, dtype: dtypeName.optional(), value: texprSchema, pos }),
  z.strictObject({ k: z.literal('if'), cond: texprSchema, then: z.array(tstmtSchema), else: z.array(tstmtSchema), pos }),
  z.strictObject({
    k: z.literal('for'), variable: str, begin: texprSchema, end: texprSchema, step: texprSchema,
    body: z.array(tstmtSchema), pos,
  }),
]));

const taskletCodeSchema: z.ZodType<TaskletCodeJson> = z.discriminatedUnion('language', [
  z.strictObject({ language: z.literal('tasklet'), body: z.array(tstmtSchema), source: str.optional() }),
  z.strictObject({ language: z.enum(['Python', 'CPP', 'CUDA', 'WGSL', 'HLS']), source: str }),
]);

export const wcrSchema: z.ZodType<WcrJson> = z.discriminatedUnion('op', [
  z.strictObject({ op: z.enum(['sum', 'product', 'min', 'max']) }),
  z.strictObject({ op: z.literal('custom'), params: z.tuple([str, str]), body: texprSchema }),
]);

export const memletSchema: z.ZodType<MemletJson> = z.strictObject({
  data: str.nullable(), subset: str.nullable(), otherSubset: str.nullable(), volume: str,
  dynamic: z.boolean(), wcr: wcrSchema.nullable(),
});

const dataCommon = {
  dtype: dtypeName, transient: z.boolean(),
  storage: z.enum(storageTypes as [StorageType, ...StorageType[]]),
  lifetime: z.enum(lifetimes as [Lifetime, ...Lifetime[]]),
};
const arrayLike = {
  ...dataCommon, shape: z.array(str), strides: z.array(str), offset: z.array(str), totalSize: str,
  alignment: count, startOffset: count, mayAlias: z.boolean(),
};
export const dataSchema: z.ZodType<DataJson> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('Array'), ...arrayLike }),
  z.strictObject({ kind: z.literal('View'), ...arrayLike }),
  z.strictObject({ kind: z.literal('Scalar'), ...dataCommon }),
  z.strictObject({ kind: z.literal('Stream'), ...dataCommon, shape: z.array(str), bufferSize: str }),
]);

const connectors = z.record(str, dtypeName.nullable());
const nodeCommon = { id, label: str, inConnectors: connectors, outConnectors: connectors, loc };

const mapSchema: z.ZodType<MapJson> = z.strictObject({
  label: str, params: z.array(str), ranges: z.array(str), schedule, unroll: z.boolean(),
  collapse: z.number().int().positive(), gpuBlockSize: z.array(z.number().int().positive()).optional(),
  vectorWidth: z.number().int().positive().optional(),
});
const consumeSchema: z.ZodType<ConsumeJson> = z.strictObject({
  label: str, peIndex: str, numPes: str, condition: texprSchema.nullable(), schedule, chunksize: count,
});
const libraryOpSchema: z.ZodType<LibraryOpJson> = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('Reduce'), axes: z.array(count).nullable(), wcr: wcrSchema, identity: numberJsonSchema.nullable(),
  }),
  z.strictObject({ name: z.literal('MatMul'), alpha: numberJsonSchema, beta: numberJsonSchema }),
  z.strictObject({ name: z.literal('Unknown'), classpath: str, attributes: z.record(str, z.unknown()) }),
]);

export const nodeSchema: z.ZodType<NodeJson> = z.lazy(() => z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('AccessNode'), ...nodeCommon, data: str, setzero: z.boolean() }),
  z.strictObject({ kind: z.literal('Tasklet'), ...nodeCommon, code: taskletCodeSchema, codeGlobal: str.optional() }),
  z.strictObject({ kind: z.literal('MapEntry'), ...nodeCommon, map: mapSchema }),
  z.strictObject({ kind: z.literal('MapExit'), ...nodeCommon, entry: id.nullable(), map: mapSchema.optional() }),
  z.strictObject({ kind: z.literal('ConsumeEntry'), ...nodeCommon, consume: consumeSchema }),
  z.strictObject({
    kind: z.literal('ConsumeExit'), ...nodeCommon, entry: id.nullable(), consume: consumeSchema.optional(),
  }),
  z.strictObject({ kind: z.literal('NestedSDFG'), ...nodeCommon, sdfg: sdfgBodySchema, symbolMapping: z.record(str, str) }),
  z.strictObject({
    kind: z.literal('LibraryNode'), ...nodeCommon, op: libraryOpSchema, implementation: str.nullable(), schedule,
  }),
]));

const edgeSchema: z.ZodType<EdgeJson> = z.strictObject({
  id, src: id, srcConn: str.nullable(), dst: id, dstConn: str.nullable(), memlet: memletSchema, loc,
});
const interstateEdgeSchema: z.ZodType<InterstateEdgeJson> = z.strictObject({
  id, src: id, dst: id, condition: texprSchema, assignments: z.record(str, texprSchema), loc,
});

const cfgFields = {
  blocks: z.lazy(() => z.array(blockSchema)),
  edges: z.array(interstateEdgeSchema), startBlock: id.nullable(), nextBlockId: count, nextEdgeId: count,
};

const stateSchema = z.strictObject({
  kind: z.literal('State'), id, label: str, nodes: z.array(nodeSchema), edges: z.array(edgeSchema),
  nextNodeId: count, nextEdgeId: count, loc,
});
const regionSchema = z.strictObject({ kind: z.literal('ControlFlowRegion'), id, label: str, ...cfgFields, loc });
const loopSchema = z.strictObject({
  kind: z.literal('LoopRegion'), id, label: str, ...cfgFields, loopVariable: str.nullable(),
  init: texprSchema.nullable(), condition: texprSchema, update: texprSchema.nullable(), inverted: z.boolean(), loc,
});
const conditionalSchema = z.strictObject({
  kind: z.literal('ConditionalBlock'), id, label: str,
  branches: z.array(z.strictObject({ condition: texprSchema.nullable(), body: regionSchema })), loc,
});

export const blockSchema: z.ZodType<BlockJson> = z.lazy(() =>
  z.discriminatedUnion('kind', [stateSchema, regionSchema, loopSchema, conditionalSchema]));

const sdfgFields = {
  name: str,
  symbols: z.record(str, dtypeName),
  constants: z.record(str, z.strictObject({ dtype: dtypeName, value: numberJsonSchema })),
  arrays: z.record(str, dataSchema),
  argNames: z.array(str),
  ...cfgFields,
  loc,
};

export const sdfgBodySchema: z.ZodType<SdfgBodyJson> = z.lazy(() => z.strictObject(sdfgFields));

export const sdfgDocumentSchema: z.ZodType<SdfgJson> = z.strictObject({
  format: z.literal(FORMAT_NAME), version: z.literal(FORMAT_VERSION), ...sdfgFields,
});

// ---------------------------------------------------------------------------------------------------------------
// Zod issues as messages: `blocks[0].nodes[3].map.ranges[1]: expected string, got number 3`.

/** Keys written after a dot in a path; others are quoted in brackets. */
export const IDENTIFIER_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `blocks[0].nodes[3].map`; record keys that are not identifiers are quoted: `arrays["a b"]`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const seg of path) {
    if (typeof seg === 'number') text += `[${seg}]`;
    else if (typeof seg === 'string' && IDENTIFIER_KEY.test(seg)) text += text ? `.${seg}` : seg;
    else text += `[${JSON.stringify(String(seg))}]`;
  }
  return text || '(document)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** `number 3`, `string "x"`, `an array`, `nothing` (for a missing value). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string': return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)}`;
    case 'number': case 'boolean': return `${typeof v} ${String(v)}`;
    case 'object': return 'an object';
    default: return typeof v;
  }
}

const typeNames: Record<string, string> = { int: 'integer', record: 'object' };

/** What a discriminated union chooses between, for "unknown node kind" rather than "unknown kind". */
function unionTopic(options: readonly unknown[]): string {
  const has = (x: string): boolean => options.includes(x);
  if (has('AccessNode')) return 'node kind';
  if (has('State')) return 'block kind';
  if (has('Array')) return 'data kind';
  if (has('binary')) return 'expression kind';
  if (has('assign')) return 'statement kind';
  if (has('sum')) return 'wcr operation';
  if (has('tasklet')) return 'tasklet language';
  if (has('Reduce')) return 'library operation';
  if (has('name')) return 'assignment target kind';
  return 'value';
}

const listValues = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/** The message for the first problem zod found in `root`: `where: what`. */
export function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const where = formatJsonPath(issue.path);
  const value = valueAt(root, issue.path);
  const got = describeValue(value);
  let what: string;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeNames[issue.expected] ?? issue.expected;
      what = value === undefined ? `missing field (expected ${expected})` : `expected ${expected}, got ${got}`;
      break;
    }
    case 'invalid_value': {
      const expected = issue.values.length === 1 ? listValues(issue.values) : `one of ${listValues(issue.values)}`;
      what = value === undefined ? `missing field (expected ${expected})` : `expected ${expected}, got ${got}`;
      break;
    }
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options) {
        what = value === undefined
          ? `missing field (expected one of ${listValues(options)})`
          : `unknown ${unionTopic(options)} ${JSON.stringify(value)} (expected one of ${listValues(options)})`;
      } else what = `${issue.message}, got ${got}`;
      break;
    }
    case 'unrecognized_keys':
      what = `unknown field${issue.keys.length > 1 ? 's' : ''} ${listValues(issue.keys)}`;
      break;
    case 'too_small': case 'too_big': {
      const op = issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : (issue.inclusive ? '<=' : '<');
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      what = issue.origin === 'array'
        ? `expected ${op === '>=' || op === '>' ? 'at least' : 'at most'} ${String(bound)} items, got ${Array.isArray(value) ? value.length : got}`
        : `expected a number ${op} ${String(bound)}, got ${got}`;
      break;
    }
    default: what = issue.message;
  }
  return `${where}: ${what}`;
}
