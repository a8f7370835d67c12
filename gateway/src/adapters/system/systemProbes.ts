import { execFile } from "node:child_process";
import { readdir, readFile, statfs } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** A Bluetooth adapter the kernel registered, and whether rfkill blocks it. */
export interface BluetoothAdapterInfo {
  /** `hci0`, `hci1`, … */
  readonly name: string;
  /** rfkill soft block (`rfkill block`), hard block (a switch), or undefined when unknown. */
  readonly softBlocked?: boolean;
  readonly hardBlocked?: boolean;
}

/** Adapters under `/sys/class/bluetooth` (one `hciN` entry each; `hciN:M` are connections). */
export async function bluetoothAdapters(sysClassBluetooth = "/sys/class/bluetooth"): Promise<BluetoothAdapterInfo[]> {
  let names: string[];
  try {
    names = await readdir(sysClassBluetooth);
  } catch {
    return [];
  }
  const adapters: BluetoothAdapterInfo[] = [];
  for (const name of names.filter((n) => /^hci\d+$/.test(n)).sort()) {
    const entries = await readdir(join(sysClassBluetooth, name)).catch(() => [] as string[]);
    const rfkill = entries.find((e) => /^rfkill\d+$/.test(e));
    if (rfkill === undefined) {
      adapters.push({ name });
      continue;
    }
    const flag = async (file: string) =>
      (await readFile(join(sysClassBluetooth, name, rfkill, file), "utf8").catch(() => "")).trim();
    const [soft, hard] = await Promise.all([flag("soft"), flag("hard")]);
    adapters.push({
      name,
      ...(soft === "" ? {} : { softBlocked: soft === "1" }),
      ...(hard === "" ? {} : { hardBlocked: hard === "1" }),
    });
  }
  return adapters;
}

/** The effective capability set of this process (`CapEff` in /proc/self/status), or null if unreadable. */
export async function processCapabilities(statusFile = "/proc/self/status"): Promise<bigint | null> {
  const text = await readFile(statusFile, "utf8").catch(() => "");
  const match = /^CapEff:\s*([0-9a-f]+)$/im.exec(text);
  return match?.[1] === undefined ? null : BigInt(`0x${match[1]}`);
}

/** The file capabilities of a binary as `getcap` prints them (`cap_net_admin,cap_net_raw=eip`), "" for none, null if unknown. */
export async function fileCapabilities(path: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync("getcap", [path], { timeout: 5000 });
    return stdout.trim().slice(path.length).trim();
  } catch {
    return null;
  }
}

/** systemd-timesyncd's (or chrony's) verdict through timedatectl; null when it cannot be asked. */
export async function ntpSynchronized(): Promise<boolean | null> {
  try {
    const { stdout } = await execFileAsync("timedatectl", ["show", "-p", "NTPSynchronized", "--value"], {
      timeout: 5000,
    });
    const value = stdout.trim();
    return value === "yes" ? true : value === "no" ? false : null;
  } catch {
    return null;
  }
}

export interface DiskSpace {
  /** The directory measured: the path itself, or its nearest existing parent. */
  readonly path: string;
  /** Bytes an unprivileged process may still write. */
  readonly availableBytes: number;
  readonly totalBytes: number;
}

/** Free space of the file system holding `path` (or its nearest existing parent). */
export async function diskSpace(path: string): Promise<DiskSpace> {
  let dir = path;
  for (;;) {
    try {
      const s = await statfs(dir);
      return { path: dir, availableBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch (err) {
      const parent = dirname(dir);
      if ((err as { code?: unknown }).code !== "ENOENT" || parent === dir) throw err;
      dir = parent;
    }
  }
}
