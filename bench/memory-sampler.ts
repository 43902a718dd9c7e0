/**
 * Resident memory of the server process, read from /proc/<pid>/status (Linux): VmRSS now, VmHWM the
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
