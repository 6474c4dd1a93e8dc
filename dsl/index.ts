// The builder's public pieces.
export { ProgramBuilder, IfChain } from './builder.js';
export { ProgramContext } from './context.js';
export { ArrayHandle, ScalarHandle, StreamHandle, MemletSpec, DataHandle, type MemletLike, type WcrName } from './handles.js';
export { MapBuilder, ScopeBuilder, ConsumeBuilder, type RangeSpec } from './scope-builders.js';
export { symbol, array, scalar, declareParams, type ParamDecls, type Handles, type RunArgs } from './declarations.js';
export { parseTasklet, parseTaskletExpr } from './tasklet-parser.js';
export { buildProgramSDFG } from './program.js';
