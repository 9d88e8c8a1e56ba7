/**
 * How a production worker process runs: the Dockerfile's CMD and environment, compose's
 * workers and the benchmark's workers (scripts/bench.ts) all take these, so what the
 * benchmark measures is what ships (tests/unit/docker-compose.test.ts holds the
 * Dockerfile and compose to them).
 *
 * Measured at 1,000 companies, 50 runs in flight, one worker (docs/benchmarks.md): with
 * node's defaults the worker ended at ~614-659 MB RSS (its live heap: ~72 MB). V8 let
 * its heap grow while nothing pressed it, and glibc's malloc kept what the SDK's native
 * threads had freed. With these settings it ended at 285 MB, for ~5-20% more worker CPU
 * a briefing.
 */

/**
 * V8's bounds, per isolate (the main thread's and the SDK's workflow thread's): the old
 * generation at 160 MB (twice the ~70-80 MB live at 50 runs in flight) and the young one's
 * semi-spaces at 8 MB instead of 16.
 */
export const WORKER_NODE_ARGS = ['--max-old-space-size=160', '--max-semi-space-size=8'] as const;

/**
 * The sticky cache to run with them. The SDK sizes its cache from V8's heap limit, which
 * at 160 MB leaves 10 runs: every other run would replay its history at each step.
 */
export const WORKER_CACHED_WORKFLOWS = 500;

/**
 * jemalloc instead of glibc's malloc (LD_PRELOAD): it hands freed pages back, where
 * glibc's per-thread arenas kept ~100 MB the SDK's native runtime had used and freed.
 * `background_thread` purges off the hot path; decay within a second.
 */
export const JEMALLOC_CONF = 'background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0';

/** Where Debian's libjemalloc2 puts the library (the image links it to the first). */
export const JEMALLOC_PATHS = [
  '/usr/local/lib/libjemalloc.so.2',
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
] as const;

/** The environment that loads jemalloc from `library`. */
export function jemallocEnv(library: string): Record<string, string> {
  return { LD_PRELOAD: library, MALLOC_CONF: JEMALLOC_CONF };
}
