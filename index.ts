// sdfg-ts: build data-centric programs, transform them, run them on the reference interpreter or native targets.
export { program, programFromSDFG, Program, type ProgramArgs, type RunResult } from './program.js';
export { symbol, array, scalar, type ParamDecls, type RunArgs } from './dsl/declarations.js';
export type { ProgramBuilder, IfChain } from './dsl/builder.js';
export type { ArrayHandle, ScalarHandle, StreamHandle, MemletSpec, WcrName } from './dsl/handles.js';
export type { MapBuilder, ScopeBuilder, ConsumeBuilder } from './dsl/scope-builders.js';
export { bool, i8, i16, i32, i64, u8, u16, u32, u64, f16, f32, f64, dtypeByName, type DType, type DTypeName } from './graph/dtypes.js';
export { sym, int, min, max, floorDiv, mod, Expr, type ExprLike } from './graph/symbolic.js';
export { parseExpr } from './graph/symbolic-parse.js';
export { validate, validationIssues } from './graph/validate.js';
export { toJSON, fromJSON, toJSONString, fromJSONString } from './graph/json.js';
export { printSDFG } from './graph/printer.js';
export {
  SdfgError, SymbolicError, ValidationError, BuilderError, TaskletError, ArgumentError, FormatError,
  TransformationError, TargetError, CompilerError, InternalError,
} from './graph/errors.js';
export type { SDFG, State } from './graph/sdfg.js';
export { runReference } from './targets/reference/index.js';
export { compile, type CompileOptions, type Compiled, type TargetName } from './targets/compile.js';
export { fromDace, fromDaceFile, toDace, toDaceFile, type DaceProgram, type DaceImportReport, type UntranslatedTasklet, type UnknownLibraryNode } from './dace-interop.js';
export {
  autoOptimize, optimizeProgram, runPipeline, cpuStages, gpuStages, transformationNames, getTransformation, applyTransformation,
  type Pipeline, type PipelineStep, type PipelineOptions, type OptimizationReport,
} from './passes/index.js';
export { exportAddon } from './targets/cpp/export-addon.js';
export { type CompiledCuda, type CudaCompileOptions, emitCuda, lowerForCuda } from './targets/cuda/index.js';
export {
  emitHls, writeHlsProject, testbenchInputs, lowerForFpga, fpgaReport, fpgaReportData, formatFpgaReport, type CompiledHls, type HlsCompileOptions,
  type FpgaLoweringOptions, type FpgaReportData,
} from './targets/hls/index.js';
export { releaseWgslDevice, emitWgsl, type CompiledWgsl, type WgslCompileOptions, type WgslRunResult } from './targets/wgsl/index.js';
