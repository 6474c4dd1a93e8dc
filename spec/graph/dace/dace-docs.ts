// Small DaCe 2.0 SDFG documents for tests, written the way DaCe writes them (inclusive ends, spelled symbols).

type Json = Record<string, unknown>;

export const sym = (name: string, dtype = 'int64'): string => `symbol($${name}, dtype=dace.${dtype})`;

/** `{type: Range}` from [start, inclusiveEnd] pairs. */
export function range(...dims: [string, string][]): Json {
  return { type: 'Range', ranges: dims.map(([start, end]) => ({ start, end, step: '1', tile: '1' })) };
}

export function memlet(data: string | null, subset: Json | null, extra: Json = {}): Json {
  return { type: 'Memlet', attributes: { ...(data === null ? {} : { data, subset, volume: '1' }), ...extra } };
}

export function edge(src: number, srcConn: string | null, dst: number, dstConn: string | null, m: Json): Json {
  return { type: 'MultiConnectorEdge', attributes: { data: m }, src: String(src), dst: String(dst), src_connector: srcConn, dst_connector: dstConn };
}

export function node(type: string, id: number, attributes: Json, extra: Json = {}): Json {
  return { type, label: (attributes['label'] as string | undefined) ?? (attributes['data'] as string | undefined) ?? type, attributes, id, scope_entry: null, scope_exit: null, ...extra };
}

export function state(label: string, nodes: Json[], edges: Json[], id = 0): Json {
  return { type: 'SDFGState', label, id, collapsed: false, scope_dict: { '-1': nodes.map((_, i) => i) }, nodes, edges, attributes: {} };
}

export function array(dtype: string | undefined, shape: string[], extra: Json = {}): Json {
  return { type: 'Array', attributes: { ...(dtype ? { dtype } : {}), shape, strides: shape.map((_, d) => (d === shape.length - 1 ? '1' : shape.slice(d + 1).join('*'))), offset: shape.map(() => '0'), total_size: shape.join('*'), ...extra } };
}

export function sdfg(name: string, arrays: Json, blocks: Json[], options: { symbols?: Json; edges?: Json[]; argNames?: string[]; extra?: Json } = {}): Json {
  return {
    type: 'SDFG',
    attributes: { name, arg_names: options.argNames ?? [], _arrays: arrays, symbols: options.symbols ?? {}, ...options.extra },
    nodes: blocks, edges: options.edges ?? [], collapsed: false, label: '', id: null, cfg_list_id: 0, start_block: 0, dace_version: '2.0.0a6',
  };
}

/** `out[i] = f(in[i])` over `i = 0:N`: a map around one tasklet, with the given code and dtypes. */
export function mappedTasklet(code: string, options: { dtype?: string; outDtype?: string; language?: string; name?: string } = {}): Json {
  const t = options.dtype ?? 'float64';
  const N = sym('N');
  const whole = range(['0', `-1 + ${N}`]), one = range([sym('i'), sym('i')]);
  return sdfg(options.name ?? 'mapped', { x: array(t, [N]), y: array(options.outDtype ?? t, [N]) }, [
    state('s', [
      node('MapEntry', 0, { label: 'm', params: ['i'], range: whole, in_connectors: { IN_x: null }, out_connectors: { OUT_x: null } }, { scope_exit: '2' }),
      node('Tasklet', 1, { label: 't', code: { string_data: code, language: options.language ?? 'Python' }, in_connectors: { a: null }, out_connectors: { b: null } }, { scope_entry: '0', scope_exit: '2' }),
      node('MapExit', 2, { in_connectors: { IN_y: null }, out_connectors: { OUT_y: null } }, { scope_entry: '0', scope_exit: '2' }),
      node('AccessNode', 3, { data: 'x' }),
      node('AccessNode', 4, { data: 'y' }),
    ], [
      edge(3, null, 0, 'IN_x', memlet('x', whole, { volume: N })),
      edge(0, 'OUT_x', 1, 'a', memlet('x', one)),
      edge(1, 'b', 2, 'IN_y', memlet('y', one)),
      edge(2, 'OUT_y', 4, null, memlet('y', whole, { volume: N })),
    ]),
  ], { symbols: { N: 'int64' }, argNames: ['x', 'y'] });
}
