// Running a program under AddressSanitizer and UBSan: a generated executable harness that reads inputs from files.
//
// ASan cannot be loaded into node through dlopen, so the program is linked into its own executable whose `main`
// reads every argument from `<in>/pN.bin` (arrays with their exact byte length, so that overflows are caught),
// calls the entry point and writes arrays and written scalars to `<out>/pN.bin`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnyTypedArray } from '../../graph/dtypes.js';
import { TargetError } from '../../graph/errors.js';
import { castValue } from '../../graph/tasklet-ops.js';
import { bindArguments, type ArgValue } from '../common/arguments.js';
import { buildOnce, cacheFolder, compilerVersion, contentHash, runCompiler, writeFileAtomic } from '../common/native.js';
import { sdfgOf, type ProgramLike } from '../compile.js';
import { cppCompiler, resolveBlas } from './build.js';
import { emitCpp, type CppProgram, type EntryParam } from './emit.js';
import type { RunResult } from './run.js';

export interface SanitizeOptions {
  compiler?: string;
  cacheDir?: string;
  blas?: 'auto' | 'openblas' | 'none';
}

export const sanitizerFlags: readonly string[] = [
  '-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer',
  '-fopenmp', '-std=c++17', '-fwrapv', '-ffp-contract=off',
];

/** The harness's `main`, appended to the program's source. */
export function harnessMain(program: CppProgram): string {
  const lines = [
    '',
    '// ---- sanitizer harness ----',
    '#include <cstdio>',
    'static void* sdfg_read(const char* dir, int index, size_t* bytes) {',
    '  char file[4096];',
    '  std::snprintf(file, sizeof file, "%s/p%d.bin", dir, index);',
    '  FILE* f = std::fopen(file, "rb");',
    '  if (!f) { std::fprintf(stderr, "harness: cannot open %s\\n", file); std::exit(3); }',
    '  std::fseek(f, 0, SEEK_END);',
    '  *bytes = (size_t)std::ftell(f);',
    '  std::fseek(f, 0, SEEK_SET);',
    '  void* data = std::malloc(*bytes > 0 ? *bytes : 1);',
    '  if (*bytes > 0 && std::fread(data, 1, *bytes, f) != *bytes) { std::fprintf(stderr, "harness: short read of %s\\n", file); std::exit(3); }',
    '  std::fclose(f);',
    '  return data;',
    '}',
    'static void sdfg_write(const char* dir, int index, const void* data, size_t bytes) {',
    '  char file[4096];',
    '  std::snprintf(file, sizeof file, "%s/p%d.bin", dir, index);',
    '  FILE* f = std::fopen(file, "wb");',
    '  if (!f || std::fwrite(data, 1, bytes, f) != bytes) { std::fprintf(stderr, "harness: cannot write %s\\n", file); std::exit(3); }',
    '  std::fclose(f);',
    '}',
    'int main(int argc, char** argv) {',
    '  if (argc != 3) { std::fprintf(stderr, "usage: harness <input folder> <output folder>\\n"); return 2; }',
  ];
  program.params.forEach((_, k) => {
    lines.push(`  size_t bytes_${k} = 0;`);
    lines.push(`  void* raw_${k} = sdfg_read(argv[1], ${k}, &bytes_${k});`);
  });
  const args = program.params.map((p, k) => {
    switch (p.kind) {
      case 'array': case 'scalar-out': return `static_cast<${p.cType}>(raw_${k})`;
      case 'scalar': return `*static_cast<${p.dtype.c}*>(raw_${k})`;
      case 'symbol': return `*static_cast<int64_t*>(raw_${k})`;
    }
  });
  lines.push(`  ${program.entryName}(${args.join(', ')});`);
  program.params.forEach((p, k) => {
    if (p.kind === 'array' || p.kind === 'scalar-out') lines.push(`  sdfg_write(argv[2], ${k}, raw_${k}, bytes_${k});`);
  });
  program.params.forEach((_, k) => lines.push(`  std::free(raw_${k});`));
  lines.push('  return 0;', '}', '');
  return lines.join('\n');
}

function bytesOf(p: EntryParam, value: AnyTypedArray | number): Uint8Array {
  if (typeof value !== 'number') return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  const cell = (p.kind === 'symbol' ? new BigInt64Array(1) : new p.dtype.array(1)) as AnyTypedArray;
  if (cell instanceof BigInt64Array || cell instanceof BigUint64Array) cell[0] = BigInt(value);
  else cell[0] = value;
  return new Uint8Array(cell.buffer);
}

function runHarness(executable: string, input: string, output: string): Promise<{ code: number; report: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:halt_on_error=1', UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1' };
    execFile(executable, [input, output], { env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, report: `${stderr}${stdout}`.trim() });
    });
  });
}

/**
 * Build the program with sanitizers into an executable, run it on `args` and copy the results back into the
 * given arrays. Any sanitizer finding (or other failure) rejects with a TargetError 'sanitizer' holding the report.
 */
export async function runSanitized(programLike: ProgramLike, args: Readonly<Record<string, ArgValue>>, options: SanitizeOptions = {}): Promise<RunResult> {
  const sdfg = sdfgOf(programLike);
  const compiler = cppCompiler(options);
  const program = emitCpp(sdfg, { blas: resolveBlas(options.blas ?? 'none', compiler) });
  const bound = bindArguments(sdfg, args);
  const source = program.source + harnessMain(program);
  const flags = [...sanitizerFlags];
  const hash = contentHash(['sanitize', source, flags.join(' '), program.links.join(' '), compilerVersion(compiler)]);
  const folder = path.join(cacheFolder('cpp', options.cacheDir), hash);
  const sourceFile = path.join(folder, 'harness.cpp');
  if (!existsSync(sourceFile)) writeFileAtomic(sourceFile, source);
  const { file } = await buildOnce(folder, 'harness', (out) => runCompiler({
    compiler, args: [...flags, sourceFile, '-o', out, ...program.links], sourceFile, what: `the sanitizer harness of '${sdfg.name}'`,
  }));

  const work = mkdtempSync(path.join(os.tmpdir(), 'sdfg-sanitize-'));
  try {
    const input = path.join(work, 'in'), output = path.join(work, 'out');
    mkdirSync(input);
    mkdirSync(output);
    const values = program.params.map((p) => (p.kind === 'symbol' ? bound.symbols[p.name]! : bound.data[p.name]!));
    program.params.forEach((p, k) => writeFileSync(path.join(input, `p${k}.bin`), bytesOf(p, values[k]!)));
    const { code, report } = await runHarness(file, input, output);
    if (code !== 0) {
      throw new TargetError({
        code: 'sanitizer',
        message: `the sanitized build of '${sdfg.name}' failed (exit code ${code}):\n${report}`,
        hint: `the harness source is ${sourceFile}`,
      });
    }
    const result: RunResult = {};
    program.params.forEach((p, k) => {
      if (p.kind === 'symbol') return;
      if (p.kind === 'scalar') {
        result[p.name] = castValue(values[k] as number, p.dtype);
        return;
      }
      const bytes = readFileSync(path.join(output, `p${k}.bin`));
      if (p.kind === 'array') {
        const target = values[k] as AnyTypedArray;
        new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(bytes);
        result[p.name] = target;
      } else {
        const cell = new p.dtype.array(1) as AnyTypedArray;
        new Uint8Array(cell.buffer).set(bytes.subarray(0, cell.byteLength));
        result[p.name] = Number(cell[0]);
      }
    });
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
