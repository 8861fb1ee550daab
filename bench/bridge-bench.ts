/**
 * Bridge micro-benchmarks, run in Hermes by the Linux host:
 *
 *   export CARGO_TARGET_DIR=$HOME/.cache/rcim/target
 *   cargo build -p rcim-jshost && $CARGO_TARGET_DIR/debug/rcim-jshost bench/bridge-bench.ts
 *   RCIM_BENCH_N=200000 rcim-jshost bench/bridge-bench.ts
 *
 * Dev builds leave our Rust crates unoptimised (Hermes and the host's C++ are optimised). For
 * figures closer to a release build without rebuilding Hermes, add to `cargo build`:
 *   --config profile.dev.package.rcim-bridge.opt-level=3 (same for rcim-core, rcim-store,
 *   rcim-proto, rcim-jshost)
 *
 * (a) round trip JS -> C++ host object -> Rust bridge -> reply -> JS thread queue -> resolved
 *     Promise, for the bridge's cheap `ping` method (it replies inside rcim_engine_call, on the JS
 *     thread): awaited one at a time, and with many calls in flight; plus `pingAsync` when the
 *     bridge has it (a reply from an engine thread, i.e. with the cross-thread hop);
 * (b) the rate at which engine events reach a JS listener (`benchEvents {count}` emits `count`
 *     events `{"name":"onBench","args":{"i":k}}` from the engine's threads).
 * Figures are printed beside published numbers (shared/ref/anchors_rust_jsi.md §0).
 */

interface Bridge {
  createEngine(configJson: string): number;
  call(handle: number, method: string, argsJson: string): Promise<string>;
  setEventListener(handle: number, fn?: (eventJson: string) => void): void;
  destroyEngine(handle: number): void;
}

const host = globalThis as unknown as {
  __rcimBridge?: Bridge;
  __rcimHostEnv?: Record<string, string | undefined>;
};

const env = host.__rcimHostEnv ?? {};
const N = Number(env.RCIM_BENCH_N ?? 100000);
const EVENTS = Number(env.RCIM_BENCH_EVENTS ?? N);
const IN_FLIGHT = 1000;

function ms(start: number): number {
  return performance.now() - start;
}

function row(label: string, totalMs: number, count: number, note = ''): void {
  const perCall = (totalMs * 1000) / count;
  console.log(
    `  ${label.padEnd(44)} ${totalMs.toFixed(1).padStart(9)} ms  ${perCall.toFixed(3).padStart(8)} µs/op` +
      (note ? `  ${note}` : '')
  );
}

async function expectCode0(reply: Promise<string>): Promise<void> {
  const text = await reply;
  const code = (JSON.parse(text) as { code: number }).code;
  if (code !== 0) throw new Error(`bridge replied ${text}`);
}

export default async function main(): Promise<void> {
  const bridge = host.__rcimBridge;
  if (!bridge) throw new Error('global.__rcimBridge is missing: run this with rcim-jshost');
  const dataDir = env.RCIM_DATA_DIR ?? '/tmp/rcim-bench';
  const handle = bridge.createEngine(
    JSON.stringify({ appKey: 'bench-app-key', options: {}, dataDir })
  );
  if (!handle) throw new Error('createEngine returned 0');

  try {
    console.log(`rcim bridge benchmark (Hermes via rcim-jshost), N = ${N}`);

    // Floor: what an awaited, already-resolved JS Promise costs in this runtime.
    let start = performance.now();
    for (let i = 0; i < N; i++) await Promise.resolve(i);
    const floorMs = ms(start);

    // Warm up, then (a1) sequential awaited round trips.
    for (let i = 0; i < 1000; i++) await expectCode0(bridge.call(handle, 'ping', '{}'));
    start = performance.now();
    for (let i = 0; i < N; i++) {
      const reply = await bridge.call(handle, 'ping', '{}');
      if (reply.length === 0) throw new Error('empty reply');
    }
    const seqMs = ms(start);

    // (a2) many calls in flight: batches of IN_FLIGHT awaited together.
    start = performance.now();
    for (let done = 0; done < N; done += IN_FLIGHT) {
      const batch: Promise<string>[] = [];
      for (let i = 0; i < IN_FLIGHT && done + i < N; i++) {
        batch.push(bridge.call(handle, 'ping', '{}'));
      }
      await Promise.all(batch);
    }
    const parMs = ms(start);

    // (a3) the same with a reply from an engine thread, if the bridge offers `pingAsync`.
    let asyncMs = -1;
    const probe = JSON.parse(await bridge.call(handle, 'pingAsync', '{}')) as { code: number };
    if (probe.code === 0) {
      start = performance.now();
      for (let i = 0; i < N; i++) await bridge.call(handle, 'pingAsync', '{}');
      asyncMs = ms(start);
    }

    // (b) events: count deliveries until all EVENTS arrived.
    let received = 0;
    let lastIndex = -1;
    let allArrived: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      allArrived = resolve;
    });
    bridge.setEventListener(handle, (json) => {
      const event = JSON.parse(json) as { name: string; args: { i: number } };
      if (event.name !== 'onBench') return;
      if (event.args.i !== lastIndex + 1) {
        throw new Error(`event ${event.args.i} arrived after ${lastIndex}`);
      }
      lastIndex = event.args.i;
      if (++received === EVENTS) allArrived();
    });
    start = performance.now();
    const reply = bridge.call(handle, 'benchEvents', JSON.stringify({ count: EVENTS }));
    await expectCode0(reply);
    await arrived;
    const eventsMs = ms(start);
    bridge.setEventListener(handle, undefined);

    console.log('');
    console.log('  measured here (this machine, Hermes, no JIT)');
    row('awaited Promise.resolve() (JS floor)', floorMs, N);
    row('ping, awaited one by one', seqMs, N, `${Math.round((N / seqMs) * 1000)} calls/s`);
    row(`ping, ${IN_FLIGHT} in flight`, parMs, N, `${Math.round((N / parMs) * 1000)} calls/s`);
    if (asyncMs >= 0) {
      const rate = `${Math.round((N / asyncMs) * 1000)} calls/s`;
      row('pingAsync (engine thread), awaited one by one', asyncMs, N, rate);
    } else {
      console.log('  (the bridge has no pingAsync: no figure for a reply from an engine thread)');
    }
    row(
      'events to a JS listener (incl. JSON.parse)',
      eventsMs,
      EVENTS,
      `${Math.round((EVENTS / eventsMs) * 1000)} events/s`
    );
    console.log('');
    console.log('  published, for comparison (anchors_rust_jsi.md §0; other machines)');
    console.log('  uniffi-bindgen-react-native, desktop Hermes test runner:');
    console.log('    noop sync call 0.54 µs; noopAsync awaited round trip ≈ 14.3 µs');
    console.log('  Nitro / Turbo / Expo, 100k sync addNumbers, iPhone 15 Pro release:');
    console.log('    7.27 / 115.86 / 434.85 ms (≈ 0.073 / 1.16 / 4.35 µs per call)');
    console.log('  DESIGN.md: 100k awaited host calls creating+resolving a Promise here ≈ 200 ms');
  } finally {
    bridge.destroyEngine(handle);
  }
}
