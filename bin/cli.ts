// The command line: print, validate and emit graph files, report FPGA designs, list transformations.
import { readFileSync, writeFileSync } from 'node:fs';
import { SdfgError } from '../graph/errors.js';
import { fromJSONString } from '../graph/json.js';
import { printSDFG } from '../graph/printer.js';
import { validationIssues } from '../graph/validate.js';
import type { SDFG } from '../graph/sdfg.js';
import { kernels } from '../kernels/index.js';
import { getTransformation, transformationNames } from '../passes/framework.js';
import '../passes/index.js';
import { emitCpp } from '../targets/cpp/emit.js';
import { writeHlsProject } from '../targets/hls/index.js';
import { fpgaReport } from '../targets/hls/report.js';

const usage = `sdfg — data-centric programs in TypeScript

usage:
  sdfg print <file>                     print a graph file as canonical text
  sdfg validate <file>                  check a graph file; list every problem found
  sdfg emit <file> [--target cpp] [-o out]   emit source code for a target (cpp: one file; hls: a Vitis HLS
                                        project folder, default <name>_hls)
  sdfg report <file|kernel> [--depth N] FPGA report: processing elements, streams and depths, on-chip
                                        buffers, estimated initiation intervals (N: stream depth)
  sdfg transformations                  list the transformations and what they do
  sdfg --help                           this text

<file> is a graph saved with toJSONString (this project's JSON format); <kernel> names one of the kernel
library (gemm, jacobi_2d, …) at its test size.`;

function load(path: string | undefined): SDFG {
  if (!path) throw new SdfgError({ code: 'usage', message: 'missing <file>', hint: 'see sdfg --help' });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SdfgError({ code: 'unreadable-file', message: `cannot read ${path}: ${(error as Error).message}` });
  }
  return fromJSONString(text);
}

function option(args: string[], ...names: string[]): string | undefined {
  const at = args.findIndex((a) => names.includes(a));
  return at >= 0 ? args[at + 1] : undefined;
}

/** The first argument that is not an option or an option's value. */
function positional(args: string[], valued: readonly string[]): string | undefined {
  return args.find((a, i) => !a.startsWith('-') && !valued.includes(args[i - 1] ?? ''));
}

function emit(args: string[]): void {
  const sdfg = load(positional(args, ['--target', '-t', '-o', '--output']));
  const target = option(args, '--target', '-t') ?? 'cpp';
  const out = option(args, '-o', '--output');
  switch (target) {
    case 'cpp': {
      const { source } = emitCpp(sdfg);
      if (out) writeFileSync(out, source); else process.stdout.write(source);
      return;
    }
    case 'hls': {
      const folder = out ?? `${sdfg.name}_hls`;
      const written = writeHlsProject(sdfg, folder);
      process.stdout.write(`wrote ${written.length} files to ${folder} (run: cd ${folder} && vitis_hls -f run_hls.tcl)\n`);
      return;
    }
    default:
      throw new SdfgError({ code: 'unknown-target', message: `emit does not know target ${JSON.stringify(target)}`, hint: 'targets: cpp, hls' });
  }
}

function report(args: string[]): void {
  const what = positional(args, ['--depth']);
  const known = what !== undefined && Object.hasOwn(kernels, what) ? kernels[what] : undefined;
  const sdfg = known ? known.build('test').sdfg : load(what);
  const depthText = option(args, '--depth');
  const depth = depthText === undefined ? undefined : Number(depthText);
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 1)) {
    throw new SdfgError({ code: 'usage', message: `--depth must be a positive integer, got ${JSON.stringify(depthText)}`, hint: 'e.g. --depth 64' });
  }
  process.stdout.write(fpgaReport(sdfg, depth === undefined ? {} : { streamDepth: depth }));
}

function listTransformations(): void {
  for (const name of transformationNames()) process.stdout.write(`${name.padEnd(28)} ${getTransformation(name).summary}\n`);
}

/** Run the command line; returns the exit code. Errors are printed, never thrown. */
export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case undefined: case '--help': case '-h': case 'help':
        process.stdout.write(usage + '\n');
        return command === undefined ? 1 : 0;
      case 'print':
        process.stdout.write(printSDFG(load(rest[0])) + '\n');
        return 0;
      case 'validate': {
        const issues = validationIssues(load(rest[0]));
        for (const issue of issues) process.stdout.write(issue.message + '\n');
        process.stdout.write(issues.length ? `${issues.length} problem(s)\n` : 'valid\n');
        return issues.length ? 1 : 0;
      }
      case 'emit':
        emit(rest);
        return 0;
      case 'report':
        report(rest);
        return 0;
      case 'transformations':
        listTransformations();
        return 0;
      default:
        process.stderr.write(`unknown command ${JSON.stringify(command)}\n\n${usage}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof SdfgError) {
      process.stderr.write(error.message + '\n');
      return 1;
    }
    throw error;
  }
}
