// Adding a tasklet to a scope frame: connectors from memlet specs, code parsed and type-checked at the call.
import { BuilderError } from '../graph/errors.js';
import type { Tasklet } from '../graph/nodes.js';
import { addEdge, addNode } from '../graph/construct.js';
import { emptyMemlet } from '../graph/memlet.js';
import type { SourceLocation } from '../graph/source-location.js';
import type { TStmt } from '../graph/tasklet-ast.js';
import { typeTasklet, type ConnectorInfo } from '../graph/tasklet-types.js';
import { i64 } from '../graph/dtypes.js';
import type { DType } from '../graph/dtypes.js';
import { parseTasklet } from './tasklet-parser.js';
import { DataHandle, MemletSpec, ScalarHandle, toMemletSpec } from './handles.js';
import { type ScopeFrame, checkMemletSpec, connectorDims, readInto, writeFrom } from './scope.js';

export type ConnectorMap = Readonly<Record<string, unknown>>;

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The template text with `${…}` where the interpolations were: shown in error messages. */
export function templateText(strings: readonly string[]): string {
  return strings.join('${…}');
}

function checkConnectorName(name: string, loc?: SourceLocation): void {
  if (!identifier.test(name)) {
    throw new BuilderError({ code: 'bad-connector', loc, message: `connector name ${JSON.stringify(name)} is not an identifier`, hint: 'use names like a, x_in, out' });
  }
}

export interface TaskletRequest {
  readonly inputs: ConnectorMap;
  readonly outputs: ConnectorMap;
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
  readonly name?: string;
  readonly loc?: SourceLocation;
}

/** Build a tasklet in `frame`: parse and type-check its code, then wire its memlets. */
export function addTasklet(frame: ScopeFrame, request: TaskletRequest, defaultName: string): Tasklet {
  const { loc } = request;
  const inputs = new Map<string, MemletSpec>();
  const outputs = new Map<string, MemletSpec>();
  for (const [name, bound] of Object.entries(request.inputs)) {
    checkConnectorName(name, loc);
    inputs.set(name, toMemletSpec(bound, name, loc));
  }
  for (const [name, bound] of Object.entries(request.outputs)) {
    checkConnectorName(name, loc);
    if (inputs.has(name)) {
      throw new BuilderError({ code: 'duplicate-connector', loc, message: `connector ${name} is both an input and an output`, hint: 'give the output another name, e.g. ' + name + '_out' });
    }
    const spec = toMemletSpec(bound, name, loc);
    outputs.set(name, spec);
  }
  // a scalar container interpolated into the code is read through a connector of its own name
  request.values.forEach((v) => {
    if (v instanceof ScalarHandle && !inputs.has(v.name) && !outputs.has(v.name)) inputs.set(v.name, toMemletSpec(v, v.name, loc));
    else if (v instanceof DataHandle && !(v instanceof ScalarHandle)) {
      throw new BuilderError({
        code: 'bad-interpolation', loc,
        message: `container ${v.name} is interpolated into tasklet code; only scalars can be read that way`,
        hint: `bind it to a connector instead: { ${v.name.toLowerCase()}: ${v.name}.at\`…\` }`,
      });
    }
  });
  for (const [name, spec] of [...inputs, ...outputs]) checkMemletSpec(frame, spec, name);

  const body: TStmt[] = parseTasklet({ strings: request.strings, values: request.values }, { loc });
  const info = (spec: MemletSpec): ConnectorInfo => ({ dtype: spec.container.dtype as DType, dims: connectorDims(spec), dynamic: spec.isDynamic });
  const symbols: Record<string, DType> = {};
  for (const name of frame.visibleNames()) symbols[name] = frame.sdfg.symbols[name] ?? i64;
  const label = request.name ?? defaultName;
  typeTasklet(body, {
    inputs: Object.fromEntries([...inputs].map(([n, s]) => [n, info(s)])),
    outputs: Object.fromEntries([...outputs].map(([n, s]) => [n, info(s)])),
    symbols,
  }, { loc, path: { sdfg: frame.sdfg.name, state: frame.state.label, node: label }, source: templateText(request.strings) });

  const tasklet = addNode(frame.state, {
    kind: 'Tasklet', label,
    code: { language: 'tasklet', body, source: templateText(request.strings) },
    inConnectors: Object.fromEntries([...inputs.keys()].map((n) => [n, null])),
    outConnectors: Object.fromEntries([...outputs.keys()].map((n) => [n, null])),
    ...(loc ? { loc } : {}),
  });
  for (const [name, spec] of inputs) readInto(frame, spec, tasklet, name, spec.loc ?? loc);
  for (const [name, spec] of outputs) writeFrom(frame, tasklet, name, spec, spec.loc ?? loc);
  // inside a scope, a tasklet with no inputs (outputs) still hangs from the entry (exit) by an empty memlet
  if (frame.entry && inputs.size === 0) addEdge(frame.state, frame.entry, null, tasklet, null, emptyMemlet(), loc);
  if (frame.exit && outputs.size === 0) addEdge(frame.state, tasklet, null, frame.exit, null, emptyMemlet(), loc);
  return tasklet;
}
