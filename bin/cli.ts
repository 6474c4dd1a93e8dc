// The command line: print, validate and emit graph files, list transformations.
import { readFileSync, writeFileSync } from 'node:fs';
import { SdfgError } from '../graph/errors.js';
import { fromJSONString } from '../graph/json.js';
import { printSDFG } from '../graph/printer.js';
import { validationIssues } from '../graph/validate.js';
import type { SDFG } from '../graph/sdfg.js';

const usage = `sdfg — data-centric programs in TypeScript

usage:
  sdfg print <file>                     print a graph file as canonical text
  sdfg validate <file>                  check a graph file; list every problem found
  sdfg emit <file> [--target cpp] [-o out]   emit source code for a target
  sdfg transformations                  list the transformations and what they do
  sdfg --help                           this text

<file> is a graph saved with toJSONString (this project's JSON format).`;

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

async function emit(args: string[]): Promise<void> {
  const sdfg = load(args.find((a, i) => !a.startsWith('-') && !['--target', '-o'].includes(args[i - 1] ?? '')));
  const target = option(args, '--target', '-t') ?? 'cpp';
  if (target !== 'cpp') throw new SdfgError({ code: 'unknown-target', message: `emit does not know target ${JSON.stringify(target)}`, hint: 'targets: cpp' });
  const { emitCpp } = await import('../targets/cpp/emit.js');
  const { source } = emitCpp(sdfg);
  const out = option(args, '-o', '--output');
  if (out) writeFileSync(out, source); else process.stdout.write(source);
}

async function listTransformations(): Promise<void> {
  const { transformationNames, getTransformation } = await import('../passes/framework.js');
  await import('../passes/index.js');
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
        await emit(rest);
        return 0;
      case 'transformations':
        await listTransformations();
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
