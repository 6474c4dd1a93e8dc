// The simulation hls_stream.h: each dataflow process on its own thread with bounded blocking FIFOs, so feedback and
// back-pressure behave as on hardware, and a deadlock (or a stream access that waits too long) is reported with the
// blocked streams instead of hanging. Tested on a hand-written design and on a generated one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { program, symbol, array, f64 } from '../../../index.js';
import { TargetError } from '../../../graph/errors.js';
import { compileHls, defaultHlsFlags, simulationHeaderPath, writeHlsProject } from '../../../targets/hls/index.js';
import { samples, copyArgs } from '../../../samples/catalogue.js';
import { maxViolation } from '../../../samples/support.js';

/** Dataflow designs written by hand against the header, one per command-line mode. */
const designs = String.raw`#include <hls_stream.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

// A token ring: the first process seeds the ring, both pass the token on n times. Needs concurrent processes.
static void seed_and_pass(hls::stream<int, 1>& to, hls::stream<int, 1>& from, int n) {
  to.write(0);
  for (int k = 0; k < n; ++k) to.write(from.read() + 1);
  (void)from.read();
}
static void pass(hls::stream<int, 1>& from, hls::stream<int, 1>& to, int n, int* last) {
  for (int k = 0; k <= n; ++k) { *last = from.read(); to.write(*last + 1); }
}
// Both processes read before they write: a deadlock on hardware.
static void read_first(hls::stream<int, 1>& from, hls::stream<int, 1>& to) { to.write(from.read()); }
static void produce(hls::stream<int, 2>& out, int n) { for (int k = 0; k < n; ++k) out.write(k); }
static void consume(hls::stream<int, 2>& in, int n, long* sum) { for (int k = 0; k < n; ++k) *sum += in.read(); }
static void late(hls::stream<int, 2>& out) { std::this_thread::sleep_for(std::chrono::milliseconds(1500)); out.write(1); }
static void wait_one(hls::stream<int, 2>& in) { (void)in.read(); }

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  try {
    if (!std::strcmp(mode, "feedback")) {
      hls::stream<int, 1> a("a"), b("b");
      int last = -1;
      hls_sim::region r("ring");
      r.spawn("seed_and_pass(a, b)", [&] { seed_and_pass(a, b, 1000); });
      r.spawn("pass(a, b)", [&] { pass(a, b, 1000, &last); });
      r.join();
      std::printf("last %d\n", last);
    } else if (!std::strcmp(mode, "backpressure")) {
      hls::stream<int, 2> s("s");
      long sum = 0;
      hls_sim::region r("pipe");
      r.spawn("produce(s)", [&] { produce(s, 10000); });
      r.spawn("consume(s)", [&] { consume(s, 10000, &sum); });
      r.join();
      std::printf("sum %ld\n", sum);
    } else if (!std::strcmp(mode, "deadlock")) {
      hls::stream<int, 1> a("a"), b("b");
      hls_sim::region r("cycle");
      r.spawn("read_first(a, b)", [&] { read_first(a, b); });
      r.spawn("read_first(b, a)", [&] { read_first(b, a); });
      r.join();
    } else if (!std::strcmp(mode, "timeout")) {
      hls::stream<int, 2> s("slow");
      hls::stream<int, 2> t("never");
      hls_sim::region r("slow");
      r.spawn("late(s)", [&] { late(s); });
      r.spawn("wait_one(s)", [&] { wait_one(s); });
      r.join();
    } else if (!std::strcmp(mode, "sequential")) {
      hls::stream<int, 2> s("lonely");
      (void)s.read();
    }
  } catch (const hls_sim::deadlock_error& e) {
    std::printf("%s\n", e.what());
    return 3;
  }
  return 0;
}
`;

let executable = '';
function runDesign(mode: string, env: Record<string, string> = {}): { status: number | null; stdout: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(executable, [mode], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, ms: Date.now() - started };
}

describe('hls_stream.h: threaded C-simulation of dataflow', function () {
  this.timeout(60_000);

  before(() => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'sdfg-hls-stream-'));
    const source = path.join(folder, 'designs.cpp');
    writeFileSync(source, designs);
    executable = path.join(folder, 'designs');
    const built = spawnSync(process.env.CXX ?? 'g++', [...defaultHlsFlags, '-I', path.dirname(simulationHeaderPath), source, '-o', executable], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  });

  it('runs feedback loops: a token passed around a ring of depth-1 streams 1000 times', () => {
    const r = runDesign('feedback');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'last 2000\n');
  });

  it('applies back-pressure: 10000 elements through a depth-2 stream arrive complete and in order', () => {
    const r = runDesign('backpressure');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `sum ${(10000 * 9999) / 2}\n`);
  });

  it('reports a deadlock at once, naming every blocked process and its stream', () => {
    const r = runDesign('deadlock');
    assert.equal(r.status, 3);
    assert.equal(r.stdout, [
      "deadlock in dataflow region 'cycle': every process is blocked on a stream",
      "  process read_first waits to read stream 'a' (empty, depth 1)",
      "  process read_first waits to read stream 'b' (empty, depth 1)",
      '',
    ].join('\n'));
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  });

  it('gives up on a stream access that waits longer than HLS_SIM_TIMEOUT_S while another process still runs', () => {
    const r = runDesign('timeout', { HLS_SIM_TIMEOUT_S: '0.3' });
    assert.equal(r.status, 3);
    assert.match(r.stdout, /^timeout in dataflow region 'slow': a stream access waited 0 s\n {2}process late is running\n {2}process wait_one waits to read stream 'slow' \(empty, depth 2\)\n$/);
  });

  it('reports sequential code reading an empty stream (nothing could ever fill it)', () => {
    const r = runDesign('sequential');
    assert.equal(r.status, 3);
    assert.equal(r.stdout, "deadlock: sequential code (outside any dataflow region) waits to read stream 'lonely' (empty, depth 2), and nothing else runs to fill it\n");
  });
});

describe('generated designs in C-simulation', function () {
  this.timeout(60_000);

  it('turns a deadlocked dataflow region into a TargetError naming the blocked streams', async () => {
    // ping pops b before it pushes a, pong pops a before it pushes b: neither can start.
    const cycle = program('cycle', { N: symbol, x: array(f64, ['N']) }, (p, { N, x }) => {
      const a = p.stream('a', f64, { bufferSize: 1 }), b = p.stream('b', f64, { bufferSize: 1 });
      p.state('ring', (s) => {
        s.map('ping')`i = 0:${N}`.tasklet({ v: b.pop }, { o: a.push })`o = v + 1`;
        s.map('pong')`i = 0:${N}`.tasklet({ v: a.pop, w: x.at`i` }, { o: b.push })`o = v + w`;
      });
    });
    const simulated = await compileHls(cycle.sdfg, { streamingMemory: false });
    assert.throws(() => simulated.run({ N: 4, x: new Float64Array(4) }), (error: unknown) => {
      assert.ok(error instanceof TargetError);
      assert.equal(error.code, 'hls-deadlock');
      assert.equal(error.summary, [
        "the C-simulation of cycle stopped: deadlock in dataflow region 'state ring (s0): 2 processing elements in 1 dataflow region': every process is blocked on a stream",
        "  process ping waits to read stream 'b' (empty, depth 1)",
        "  process pong waits to read stream 'a' (empty, depth 1)",
      ].join('\n'));
      return true;
    });
  });

  it('builds the testbench: it reads the inputs writeHlsProject wrote, runs the kernel, and writes the outputs', async () => {
    const sample = samples.find((s) => s.name === 'softmax')!;
    const folder = mkdtempSync(path.join(os.tmpdir(), 'sdfg-hls-testbench-'));
    const args = sample.inputs(5, 3);
    writeHlsProject(sample.program.sdfg, folder, { args });
    const testbench = await (await compileHls(sample.program.sdfg)).testbench();
    const run = spawnSync(testbench, [path.join(folder, 'data')], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, run.stderr);
    const expected = copyArgs(args);
    sample.program.run(expected as never);
    const bytes = readFileSync(path.join(folder, 'data', 'out.out.bin'));
    const out = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    assert.equal(maxViolation(expected.out as Float32Array, out, sample.rtol), 0);
    const missing = spawnSync(testbench, [path.join(folder, 'nowhere')], { encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^testbench: scalars\.txt gives no value for N\n$/);
  });

  it('keeps working with depth-1 streams everywhere (back-pressure on every edge)', async () => {
    const sample = samples.find((s) => s.name === 'gemm')!;
    const simulated = await compileHls(sample.program.sdfg, { streamDepth: 1 });
    assert.match(simulated.files['kernel.cpp'], /hls::stream<double, 1> A_to_a\("A_to_a"\);\n\s+#pragma HLS STREAM variable=A_to_a depth=1/);
    const args = sample.inputs(6, 4);
    const expected = copyArgs(args), actual = copyArgs(args);
    sample.program.run(expected as never);
    simulated.run(actual as never);
    assert.equal(maxViolation(expected.C as Float64Array, actual.C as Float64Array, sample.rtol), 0);
  });
});
