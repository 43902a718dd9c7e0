/**
 * Starts the service as a real child process (e.g. `npm start`, or `tsx src/cli/main.ts serve`) and
 * waits for its start banner, from which it reads the tenant URL and, in development, the token — the
 * same lines a person copies into the Entra portal. The child runs in its own process group so the
 * test can signal it the way a terminal (Ctrl-C) or Container Apps (SIGTERM) does.
 */
import { type ChildProcess, spawn } from "node:child_process";

export interface StartedService {
  readonly child: ChildProcess;
  /** Tenant URL as printed, e.g. http://localhost:41234/scim/v2 (localhost rewritten to 127.0.0.1). */
  readonly tenantUrl: string;
  /** The printed development token, when the banner shows one. */
  readonly printedToken?: string;
  /** Settles once the child has exited and every process sharing its output pipes has closed them. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Signals the whole process group (npm → sh → tsx → node), as a terminal does. */
  signal(signal: NodeJS.Signals): void;
}

const living = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of living) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

export async function startService(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<StartedService> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  living.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // "close", not "exit": under `npm start` the child is npm, which can die of Ctrl-C before the
    // service it started has drained and logged "stopped". The service shares npm's stdout pipe, so the
    // pipe closes only once every process of the group has finished writing.
    child.on("close", (code, signal) => {
      gone = true;
      living.delete(child);
      resolve({ code, signal });
    });
  });
  const signal = (name: NodeJS.Signals) => {
    // Once it has exited, its pid — and so its process-group id — may be handed to another process
    // (pid_max is 32,768 here and test files run in parallel): a late SIGKILL "just in case" from a
    // finally block could kill another test's freshly started service.
    if (gone) return;
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let tenantUrl: string | undefined;
  while (tenantUrl === undefined) {
    // The banner is one write ending with the "(see README)" line; wait for all of it.
    const match = output.includes("(see README)") ? /Tenant URL:\s+(\S+)/.exec(output) : null;
    if (match) tenantUrl = match[1]!.replace("//localhost:", "//127.0.0.1:");
    else if (gone) throw new Error(`the service exited before printing its tenant URL:\n${output}`);
    else if (Date.now() > deadline) {
      signal("SIGKILL");
      throw new Error(`the service printed no tenant URL in time:\n${output}`);
    } else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const printedToken = /Secret Token:\s+(\S+)/.exec(output)?.[1];
  return {
    child,
    tenantUrl,
    ...(printedToken ? { printedToken } : {}),
    exited,
    output: () => output,
    signal,
  };
}
