import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/**
 * Test files that must have a process of their own: they put a fake HCI transport into Node's module
 * cache before noble loads (FakeHciSocket.installFakeTransport), or load noble for real, so they
 * cannot share a module cache with each other. The end-to-end files run the whole demo (simulated
 * radio, two gateways, the cloud) in real time and wait for a shopper's arrival: anything an
 * earlier file left running in a shared worker would slow their event loop, so they get a clean one.
 */
const OWN_PROCESS = [
  "test/gateway/adapters/noble/**/*.test.ts",
  "test/gateway/cli/doctor.test.ts",
  "test/e2e/**/*.test.ts",
];

export default defineConfig({
  test: {
    // Which files run is said per project below (a project that extends this config would add its
    // include to one given here, not replace it).
    // Integration tests start real brokers, SQLite files and child processes; give them room on a
    // shared 2-core machine without turning slowness into failures.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores, which on a 2-core machine runs the files
    // one after the other. The slow files wait on disks, sockets and child processes rather than
    // on the CPU, so two workers finish them in little more than half the time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: { name: "own-process", include: OWN_PROCESS },
      },
      {
        // Every other file runs in a worker that keeps its module cache from one file to the next:
        // loading fastify, aedes, SQLite and the cloud's sources again for each of ~100 files took
        // more of the suite's time than the tests. A file must therefore leave no global state
        // behind (no patched modules, no timers or servers left running); each test file's own
        // module-level state is still fresh, as vitest evaluates every test file anew.
        extends: true,
        test: { name: "shared", include: ["test/**/*.test.ts"], exclude: OWN_PROCESS, isolate: false },
      },
    ],
  },
});
