// What a DaCe file holds that the model does not (guids, debug info, instrumentation, original spellings), kept
// beside the objects read from it so that writing them back reproduces it. Keyed weakly: a copy made by a pass
// simply has none, and is written from the model alone.
import type { SDFG } from '../sdfg.js';
import type { SymbolSpellings } from './symbols.js';

export type JsonObject = Record<string, unknown>;

/** The raw DaCe JSON an object was read from: its `attributes` and its other top-level fields. */
export interface DaceExtras {
  readonly attributes: JsonObject;
  readonly fields: JsonObject;
}

const extras = new WeakMap<object, DaceExtras>();
/** Source text read for a model object (tasklet code, a wcr lambda, an interstate expression): written back as is. */
const sourceText = new WeakMap<object, string>();
const spellings = new WeakMap<SDFG, SymbolSpellings>();

export function keepExtras(obj: object, json: JsonObject, fieldsToSkip: readonly string[] = []): void {
  const attributes = isObject(json['attributes']) ? json['attributes'] : {};
  const fields: JsonObject = {};
  for (const [k, v] of Object.entries(json)) if (k !== 'attributes' && k !== 'type' && !fieldsToSkip.includes(k)) fields[k] = v;
  extras.set(obj, { attributes, fields });
}

export function extrasOf(obj: object): DaceExtras {
  return extras.get(obj) ?? { attributes: {}, fields: {} };
}

export function keepSource(obj: object, text: string): void {
  sourceText.set(obj, text);
}

export function sourceOf(obj: object): string | undefined {
  return sourceText.get(obj);
}

/** A raw JSON value an immutable model object was read from (a range's `{start, end, step, tile}`). */
const rawJson = new WeakMap<object, JsonObject>();

export function keepRaw(obj: object, json: JsonObject): void {
  rawJson.set(obj, json);
}

export function rawOf(obj: object): JsonObject | undefined {
  return rawJson.get(obj);
}

export function keepSpellings(sdfg: SDFG, s: SymbolSpellings): void {
  spellings.set(sdfg, s);
}

export function spellingsOf(sdfg: SDFG): SymbolSpellings | undefined {
  return spellings.get(sdfg);
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The attributes to write: the kept ones the model does not own, then the model's. A model value equal to DaCe's
 * default is left out, as DaCe does, unless the file had it written out.
 */
export function mergeAttributes(
  kept: JsonObject, owned: readonly string[], computed: JsonObject, defaults: JsonObject = {},
): JsonObject {
  const out: JsonObject = {};
  const isDefault = (k: string, v: unknown): boolean => k in defaults && JSON.stringify(defaults[k]) === JSON.stringify(v);
  for (const [k, v] of Object.entries(kept)) {
    if (!owned.includes(k)) out[k] = v;
    else if (computed[k] !== undefined) out[k] = computed[k];
  }
  for (const [k, v] of Object.entries(computed)) {
    if (v === undefined || k in out) continue;
    if (isDefault(k, v)) continue;
    out[k] = v;
  }
  return out;
}

/** Changes the reader made to fit the model's conventions, undone when writing back. */
export interface Adaptation {
  /** Connectors the reader named on a library node's edge where DaCe had none. */
  srcConn?: string;
  dstConn?: string;
  /** A memlet DaCe named by the container at the far end of its path; the model names the adjacent access node's. */
  swappedData?: { readonly from: string; readonly to: string; readonly hadOtherSubset: boolean };
  /** The volume as read: while the memlet still has it, DaCe's `volume`/`num_accesses` are written back as they were. */
  volumeRead?: object;
}

const adaptations = new WeakMap<object, Adaptation>();

export function noteAdaptation(obj: object, a: Adaptation): void {
  adaptations.set(obj, { ...adaptations.get(obj), ...a });
}

export function adaptationOf(obj: object): Adaptation | undefined {
  return adaptations.get(obj);
}
