/**
 * `npm run bench`: scimkit against its floor, on the embedded store and (when PostgreSQL 15 can be
 * started here) on PostgreSQL, with the same Entra request mix from `scimkit simulate`.
 *
 * For each engine: start the service as its own process on a fresh database, replay an initial and an
 * incremental cycle (10,000 users, 100 groups × 100 members by default), stop it; then the same against
 * bench/floor.ts (same store calls, no SCIM logic) on another fresh database. Prints throughput, latency
 * percentiles, errors, peak RSS of the server process and RSS as the store grows, and scimkit/floor.
 *
 * Environment: BENCH_USERS, BENCH_GROUPS, BENCH_MEMBERS, BENCH_CONCURRENCY (default 16), BENCH_ROUNDS
 * (default 1; each round runs scimkit then the floor, so a ratio compares runs under the same load), BENCH_ENGINES
 * (`sqlite,postgres`), BENCH_TARGETS (`scimkit,floor`), BENCH_FROM_SOURCE=1 (run the servers through tsx; by
 * default they are compiled by tsc into .tmp/bench/dist and run by plain node, as the container runs them),
 * BENCH_CPU_PROF=1 (CPU profiles of both servers in .tmp/bench/profiles{,-floor}). After the runs, bench/live-heap.ts
 * measures the service's live heap after full GCs as users are created, per engine. A small discarded run
 * against the floor warms the load generator up first. Not a test.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runSimulation, type SimulationReport } from "../src/client/simulation/simulation";
import { readCpuSeconds, readMemoryMb } from "./memory-sampler";
import { REPO_ROOT, startBenchServer } from "./server-process";

const SETTINGS = {
  users: Number(process.env.BENCH_USERS ?? 10_000),
  groups: Number(process.env.BENCH_GROUPS ?? 100),
  members: Number(process.env.BENCH_MEMBERS ?? 100),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  rounds: Number(process.env.BENCH_ROUNDS ?? 1),
  engines: (process.env.BENCH_ENGINES ?? "sqlite,postgres").split(","),
  targets: (process.env.BENCH_TARGETS ?? "scimkit,floor").split(",") as Target[],
  cpuProfile: process.env.BENCH_CPU_PROF === "1",
  // Compiled by default: the container runs `node dist/…`, and that is what the figures should describe.
  fromDist: process.env.BENCH_FROM_SOURCE !== "1",
};

type Target = "scimkit" | "floor";

interface Measurement {
  readonly engine: string;
  /** 1-based; scimkit and floor alternate within a round so both see the same machine load. */
  readonly round: number;
  readonly target: Target;
  readonly report: SimulationReport;
  readonly peakRssMb: number;
  /** Server CPU time (user + system) per request, in microseconds: comparable across machine loads. */
  readonly cpuMicrosecondsPerRequest: number;
  /** The kernel's share of it (system time: socket reads and writes, file writes, fsync). */
  readonly systemCpuMicrosecondsPerRequest: number;
  /** RSS (MB) after 25 %, 50 %, 75 %, 100 % of the users are created, then at the end. */
  readonly rssAsStoreGrows: readonly number[];
}

interface Engine {
  readonly name: string;
  /** A fresh, empty database for one server. */
  freshDatabase(label: string): Promise<string>;
  dispose(): Promise<void>;
}

const workDirectory = path.join(REPO_ROOT, ".tmp", "bench");
/** Where src/ and the bench servers are compiled to unless BENCH_FROM_SOURCE=1 (repository-relative). */
const DIST = ".tmp/bench/dist";

/**
 * Compiles the service and the floor with tsc, as the container image runs them (`node dist/…`), so
 * neither pays tsx's loader hooks. Uses the repository's compiler options.
 */
function compileToDist(): void {
  const config = path.join(workDirectory, "tsconfig.bench.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      extends: "../../tsconfig.json",
      compilerOptions: { noEmit: false, outDir: "dist", rootDir: "../..", sourceMap: false },
      include: ["../../src", "../../bench/floor.ts", "../../bench/live-heap.ts"],
    }),
  );
  process.stderr.write("compiling src/ and bench/ with tsc (BENCH_FROM_SOURCE=1 runs them through tsx)…\n");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", config], {
    cwd: REPO_ROOT,
    stdio: "inherit",
  });
}

function sqliteEngine(): Engine {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-bench-"));
  return {
    name: "embedded (SQLite)",
    freshDatabase: async (label) => `sqlite:${path.join(directory, `${label}.db`)}`,
    dispose: async () => fs.rmSync(directory, { recursive: true, force: true }),
  };
}

/** PostgreSQL through the store engineer's throwaway-cluster helper, when it and initdb are here. */
async function postgresEngine(): Promise<Engine | string> {
  let helper: {
    startPostgres(): Promise<{ createDatabase(prefix?: string): Promise<string>; destroy(): Promise<void> }>;
  };
  try {
    helper = require("../test/support/postgres");
  } catch (error) {
    return `test/support/postgres.ts not loadable (${(error as Error).message.split("\n")[0]})`;
  }
  try {
    const server = await helper.startPostgres();
    return {
      name: "PostgreSQL 15",
      freshDatabase: (label) => server.createDatabase(`bench_${label}`),
      dispose: () => server.destroy(),
    };
  } catch (error) {
    return `could not start PostgreSQL (${(error as Error).message.split("\n")[0]})`;
  }
}

/** The simulation's size, and whether to profile the server; the warm-up is smaller and not profiled. */
interface Workload {
  readonly users: number;
  readonly groups: number;
  readonly members: number;
  readonly cpuProfile: boolean;
}

async function measure(
  engine: Engine,
  target: Target,
  token: string,
  workload: Workload = SETTINGS,
): Promise<Omit<Measurement, "round">> {
  const label = `${target}-${randomBytes(3).toString("hex")}`;
  const databaseUrl = await engine.freshDatabase(label);
  const logFile = path.join(workDirectory, `${label}.log`);
  const server =
    target === "scimkit"
      ? await startBenchServer({
          script: SETTINGS.fromDist ? `${DIST}/src/cli/main.js` : "src/cli/main.ts",
          args: ["serve"],
          env: {
            PORT: "0",
            HOST: "127.0.0.1",
            DATABASE_URL: databaseUrl,
            SCIM_TOKENS: token,
            NODE_ENV: "production",
          },
          logFile,
          nodeFlags: workload.cpuProfile
            ? ["--cpu-prof", `--cpu-prof-dir=${path.join(workDirectory, "profiles")}`]
            : [],
          listening: (log) => {
            const match = /Tenant URL:\s+http:\/\/[^\s:]+:(\d+)(\/\S*)/.exec(log);
            return match ? `http://127.0.0.1:${match[1]}${match[2]}` : undefined;
          },
        })
      : await startBenchServer({
          script: SETTINGS.fromDist ? `${DIST}/bench/floor.js` : "bench/floor.ts",
          args: [],
          env: { PORT: "0", DATABASE_URL: databaseUrl, SCIM_TOKENS: token },
          nodeFlags: workload.cpuProfile
            ? ["--cpu-prof", `--cpu-prof-dir=${path.join(workDirectory, "profiles-floor")}`]
            : [],
          logFile,
          listening: (log) => /floor listening at (\S+)/.exec(log)?.[1],
        });
  const rssAsStoreGrows: number[] = [];
  let nextQuartile = 1;
  let peakRssMb = 0;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, readMemoryMb(server.pid)?.peakMb ?? 0);
  }, 250);
  try {
    process.stderr.write(`${engine.name} / ${target}: ${server.url}\n`);
    const cpuBefore = readCpuSeconds(server.pid) ?? { user: 0, system: 0 };
    const report = await runSimulation({
      url: server.url,
      token,
      users: workload.users,
      groups: workload.groups,
      membersPerGroup: Math.min(workload.members, workload.users),
      concurrency: SETTINGS.concurrency,
      memberBatchSize: 10,
      dialect: "default",
      timeoutMs: 30_000,
      keep: true, // the server is thrown away with its database
      onProgress: (progress) => {
        if (progress.phase !== "initial: users") return;
        while (nextQuartile <= 4 && progress.done >= (progress.total * nextQuartile) / 4) {
          rssAsStoreGrows.push(readMemoryMb(server.pid)?.rssMb ?? 0);
          nextQuartile += 1;
        }
      },
    });
    rssAsStoreGrows.push(readMemoryMb(server.pid)?.rssMb ?? 0);
    const cpuAfter = readCpuSeconds(server.pid) ?? cpuBefore;
    const perRequest = (seconds: number) => Math.round((seconds * 1e6) / report.totals.requests);
    const cpuMicrosecondsPerRequest = perRequest(
      cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system,
    );
    const systemCpuMicrosecondsPerRequest = perRequest(cpuAfter.system - cpuBefore.system);
    peakRssMb = Math.max(peakRssMb, readMemoryMb(server.pid)?.peakMb ?? 0);
    return {
      engine: engine.name,
      target,
      report,
      peakRssMb,
      rssAsStoreGrows,
      cpuMicrosecondsPerRequest,
      systemCpuMicrosecondsPerRequest,
    };
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
}

interface LiveHeap {
  readonly engine: string;
  readonly users: readonly number[];
  readonly liveHeapMb: readonly number[];
  readonly rssMb: readonly number[];
}

/** bench/live-heap.ts on a fresh database: the service's live heap after full GCs as users are added. */
async function measureLiveHeap(engine: Engine): Promise<LiveHeap> {
  const databaseUrl = await engine.freshDatabase(`heap-${randomBytes(3).toString("hex")}`);
  const script = SETTINGS.fromDist ? `${DIST}/bench/live-heap.js` : "bench/live-heap.ts";
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", ...(script.endsWith(".ts") ? ["--import", "tsx"] : []), path.join(REPO_ROOT, script)],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl, LIVE_HEAP_USERS: String(SETTINGS.users) },
        maxBuffer: 1024 * 1024,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${script}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
  return {
    engine: engine.name,
    ...(JSON.parse(output.trim().split("\n").pop()!) as Omit<LiveHeap, "engine">),
  };
}

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells
    .map((cell, index) =>
      index === 0 ? String(cell).padEnd(widths[index]) : String(cell).padStart(widths[index]),
    )
    .join("  ");
}

function printTable(measurements: readonly Measurement[]): void {
  const header = [
    "engine / server",
    "requests",
    "ops/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "errors",
    "peak RSS MB",
    "RSS MB as users grow 25→100%, end",
    "server CPU µs/req (kernel)",
    "vs floor (ops/s)",
    "vs floor (CPU)",
  ];
  const rows = measurements.map((m) => {
    const floor = measurements.find(
      (other) => other.engine === m.engine && other.round === m.round && other.target === "floor",
    );
    const ratio =
      m.target === "scimkit" && floor
        ? `${Math.round((m.report.totals.perSecond / floor.report.totals.perSecond) * 100)}%`
        : "";
    // Floor CPU per request ÷ scimkit CPU per request: the share of the floor's throughput scimkit would
    // reach with a core to itself.
    const cpuRatio =
      m.target === "scimkit" && floor
        ? `${Math.round((floor.cpuMicrosecondsPerRequest / m.cpuMicrosecondsPerRequest) * 100)}%`
        : "";
    const t = m.report.totals;
    return [
      `${m.engine} / ${m.target}${SETTINGS.rounds > 1 ? ` (round ${m.round})` : ""}`,
      t.requests,
      t.perSecond,
      t.p50Ms,
      t.p95Ms,
      t.p99Ms,
      t.errors,
      m.peakRssMb,
      m.rssAsStoreGrows.join(" "),
      `${m.cpuMicrosecondsPerRequest} (${m.systemCpuMicrosecondsPerRequest})`,
      ratio,
      cpuRatio,
    ];
  });
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((cells) => String(cells[column]).length)),
  );
  console.log(row(header, widths));
  for (const cells of rows) console.log(row(cells, widths));
}

async function main(): Promise<void> {
  fs.mkdirSync(workDirectory, { recursive: true });
  if (SETTINGS.fromDist) compileToDist();
  const token = randomBytes(32).toString("base64url");
  const engines: Engine[] = [];
  if (SETTINGS.engines.includes("sqlite")) engines.push(sqliteEngine());
  const skipped: string[] = [];
  if (SETTINGS.engines.includes("postgres")) {
    const postgres = await postgresEngine();
    if (typeof postgres === "string") skipped.push(`PostgreSQL skipped: ${postgres}`);
    else engines.push(postgres);
  }
  const measurements: Measurement[] = [];
  const liveHeaps: LiveHeap[] = [];
  const loadBefore = os.loadavg()[0];
  try {
    // The load generator runs in this process: its first simulation would run on cold (unoptimised) code
    // and slow whichever server came first (always scimkit). One small discarded run warms it up.
    if (engines[0]) {
      process.stderr.write("warm-up run (not measured)…\n");
      const users = Math.min(2_000, SETTINGS.users);
      await measure(engines[0], "floor", token, { users, groups: 10, members: 20, cpuProfile: false });
    }
    for (const engine of engines) {
      for (let round = 1; round <= SETTINGS.rounds; round += 1) {
        for (const target of SETTINGS.targets)
          measurements.push({ ...(await measure(engine, target, token)), round });
      }
      if (SETTINGS.targets.includes("scimkit")) liveHeaps.push(await measureLiveHeap(engine));
    }
  } finally {
    for (const engine of engines) await engine.dispose();
  }
  console.log(
    `\nscimkit bench: ${SETTINGS.users} users, ${SETTINGS.groups} groups × ${SETTINGS.members} members, ` +
      `concurrency ${SETTINGS.concurrency}, dialect default; ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), node ${process.version}\n` +
      `load average (1 min) ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after: other processes share these CPUs\n`,
  );
  printTable(measurements);
  for (const note of skipped) console.log(note);
  if (liveHeaps.length > 0) {
    console.log(
      "\nLive JS heap of the service after a full GC as users are created (bench/live-heap.ts, in-process; flat = no leak):",
    );
    for (const heap of liveHeaps) {
      console.log(
        `  ${heap.engine}: at ${heap.users.join(" / ")} users: live heap ${heap.liveHeapMb.join(" / ")} MB, RSS ${heap.rssMb.join(" / ")} MB`,
      );
    }
  }
  for (const m of measurements.filter((m) => m.target === "scimkit")) {
    console.log(`\n${m.engine} / scimkit, per operation:`);
    for (const op of m.report.operations) {
      console.log(
        `  ${op.operation.padEnd(20)} ${String(op.count).padStart(6)}  p50 ${op.p50Ms} ms  p95 ${op.p95Ms} ms  p99 ${op.p99Ms} ms  max ${op.maxMs} ms  errors ${op.errors}`,
      );
    }
    if (m.report.totals.errors > 0) console.log(`  errors: ${JSON.stringify(m.report.errorExamples)}`);
  }
  if (SETTINGS.cpuProfile) {
    console.log(
      `\nCPU profiles: ${path.join(workDirectory, "profiles")} (scimkit), ${path.join(workDirectory, "profiles-floor")}`,
    );
  }
  if (measurements.some((m) => m.report.totals.errors > 0)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`bench: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
});
