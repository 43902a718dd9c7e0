/**
 * Starts the system under test (the scimkit service, or the floor) as its own Node process, so the
 * load generator's CPU and memory are not mixed into its figures. Its output goes to a log file (as in
 * production); the URL is read from that file once the server says it is listening.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..");

export interface BenchServer {
  readonly url: string;
  readonly pid: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

export async function startBenchServer(options: {
  /** Repository-relative path of a .ts file (run through tsx) or a compiled .js file (run by node alone). */
  readonly script: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Extra node flags, e.g. --cpu-prof. */
  readonly nodeFlags?: readonly string[];
  /** Finds the listening URL (with base path) in the log; undefined until it is there. */
  readonly listening: (log: string) => string | undefined;
}): Promise<BenchServer> {
  const log = fs.openSync(options.logFile, "w");
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      ...(options.script.endsWith(".ts") ? ["--import", "tsx"] : []),
      path.join(REPO_ROOT, options.script),
      ...options.args,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ["ignore", log, log] },
  );
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (!url) {
    const text = fs.readFileSync(options.logFile, "utf8");
    url = options.listening(text);
    if (url) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${options.script} did not start (see ${options.logFile}):\n${text.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid ?? 0,
    logFile: options.logFile,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
