/**
 * Resident memory and CPU time of the server process, read from /proc/<pid>/status (Linux): VmRSS now, VmHWM the
 * kernel's own peak. Samples are labelled with how many users the server holds at that moment, so the
 * report shows whether memory stays flat as the store grows.
 */
import fs from "node:fs";

export function readMemoryMb(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rssMb: Math.round(kb("VmRSS") / 1024), peakMb: Math.round(kb("VmHWM") / 1024) };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds in user and system (kernel) mode the process has used so far, from /proc/<pid>/stat. Unlike ops/s this
 * barely depends on what else runs on the machine, so CPU per request compares runs made under
 * different load. Clock ticks are 100 per second on Linux (getconf CLK_TCK).
 */
export function readCpuSeconds(pid: number): { user: number; system: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
  } catch {
    return undefined;
  }
}
