// Native toolchain helpers shared by the compiled targets: content-hash cache folders and compiler invocations.
import { createHash } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompilerError, TargetError } from '../../graph/errors.js';

/** The project folder (the one holding graph/, targets/, …). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function isWritable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder compiled artefacts of one target live in: `cacheDir` when given, else `$SDFG_TS_CACHE`, else
 * `.cache/sdfg-ts/<target>` in the project, else (an installed, read-only package) one under the OS temp folder.
 */
export function cacheFolder(target: string, cacheDir?: string): string {
  if (cacheDir) return path.resolve(cacheDir, target);
  const fromEnv = process.env['SDFG_TS_CACHE'];
  if (fromEnv) return path.resolve(fromEnv, target);
  const inProject = path.join(projectRoot, '.cache', 'sdfg-ts', target);
  if (isWritable(inProject)) return inProject;
  return path.join(os.tmpdir(), `sdfg-ts-${os.userInfo().username}`, target);
}

/** A short, stable hash of everything that determines an artefact. */
export function contentHash(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 24);
}

const versions = new Map<string, string>();

/** The first line of `<compiler> --version`, cached per process; part of every cache key. */
export function compilerVersion(compiler: string): string {
  let version = versions.get(compiler);
  if (version === undefined) {
    try {
      version = execFileSync(compiler, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
    } catch (cause) {
      throw new TargetError({
        code: 'compiler-missing',
        message: `the compiler '${compiler}' cannot be run`,
        hint: 'install it (Debian: apt-get install g++) or pass another one with the `compiler` option',
        cause,
      });
    }
    versions.set(compiler, version);
  }
  return version;
}

const headers = new Map<string, boolean>();

/** Whether `#include <header>` preprocesses with this compiler (checked once per process). */
export function hasHeader(compiler: string, header: string): boolean {
  const key = `${compiler}\0${header}`;
  let found = headers.get(key);
  if (found === undefined) {
    try {
      execFileSync(compiler, ['-x', 'c++', '-E', '-o', '/dev/null', '-'], { input: `#include <${header}>\n`, stdio: ['pipe', 'ignore', 'ignore'] });
      found = true;
    } catch {
      found = false;
    }
    headers.set(key, found);
  }
  return found;
}

let invocations = 0;

/** How many times this process has run a compiler to build an artefact (tests use it to see cache hits). */
export function compilerInvocations(): number {
  return invocations;
}

export interface CompileJob {
  readonly compiler: string;
  readonly args: readonly string[];
  /** The generated file being compiled, named in the error when compilation fails. */
  readonly sourceFile: string;
  readonly cwd?: string;
  /** Says what was being compiled, for the error message ("program 'axpy'"). */
  readonly what: string;
}

/** Run a compiler; a non-zero exit becomes a CompilerError carrying its output and the generated file. */
export function runCompiler(job: CompileJob): Promise<void> {
  invocations++;
  return new Promise((resolve, reject) => {
    // LC_ALL=C: plain ASCII quotes and messages that do not depend on the user's locale.
    const env = { ...process.env, LC_ALL: 'C' };
    execFile(job.compiler, [...job.args], { cwd: job.cwd, env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve();
      const output = `${stderr}${stdout}`.trim() || String(error.message);
      reject(new CompilerError({
        code: 'compiler-failed',
        message: `${job.compiler} failed to compile ${job.what} (${job.sourceFile}):\n${firstLines(output, 40)}`,
        hint: 'the generated source and the full compiler output are in the error\'s sourceFile and compilerOutput',
        compilerOutput: output,
        sourceFile: job.sourceFile,
      }));
    });
  });
}

function firstLines(text: string, count: number): string {
  const lines = text.split('\n');
  return lines.length <= count ? text : [...lines.slice(0, count), `… (${lines.length - count} more lines)`].join('\n');
}

/** Write a file through a temporary name so that a concurrent reader never sees half of it. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

export interface CachedArtefact {
  /** The artefact's path (it exists once `build` resolved). */
  readonly file: string;
  /** True when the artefact was already there and no compiler ran. */
  readonly cached: boolean;
}

/**
 * Build `artefactName` in `folder` unless it is already there. `build` receives a temporary output path
 * and must create it; it is renamed into place only on success, so a failed or concurrent build never
 * leaves a half-written artefact behind.
 */
export async function buildOnce(folder: string, artefactName: string, build: (output: string) => Promise<void>): Promise<CachedArtefact> {
  const file = path.join(folder, artefactName);
  if (existsSync(file)) return { file, cached: true };
  mkdirSync(folder, { recursive: true });
  const temporary = path.join(folder, `.${artefactName}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    await build(temporary);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
  return { file, cached: false };
}
