import { createSocket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { open } from "node:fs/promises";

/** The store LAN key file as `arrival-gateway doctor` finds it; never its content. */
export type LanKeyFileProbe =
  | {
      readonly ok: true;
      /** Permission bits (`mode & 0o777`). */
      readonly mode: number;
      readonly ownerUid: number;
      /** Bytes of key once surrounding whitespace is trimmed, as the gateway reads it. */
      readonly bytes: number;
    }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Opens the key file as this process, stats it and counts its key's bytes; the key is not kept. */
export async function inspectLanKeyFile(path: string): Promise<LanKeyFileProbe> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, code: e.code ?? "ERROR", message: e.message };
  }
  try {
    const st = await handle.stat();
    const text = await handle.readFile("utf8");
    return { ok: true, mode: st.mode & 0o777, ownerUid: st.uid, bytes: Buffer.byteLength(text.trim(), "utf8") };
  } finally {
    await handle.close();
  }
}

/** Binds the UDP port the gateway listens on and lets it go: null when it could, else the error's code and message. */
export async function probeUdpBind(port: number, host?: string): Promise<{ readonly code: string; readonly message: string } | null> {
  const socket = createSocket({ type: "udp4", reuseAddr: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(port, host, () => {
        socket.off("error", reject);
        resolve();
      });
    });
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { code: e.code ?? "ERROR", message: e.message };
  } finally {
    await new Promise<void>((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}

/** Null when the peer's host name resolves to an IPv4 address (the LAN is UDP over IPv4), else why not. */
export async function resolvePeerHost(host: string): Promise<string | null> {
  try {
    await lookup(host, { family: 4 });
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}
