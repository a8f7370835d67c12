import { readFile } from "node:fs/promises";
import { MIN_LAN_KEY_BYTES } from "./sightingDatagram.js";

/** The store LAN key file is missing, unreadable or too short. */
export class LanKeyError extends Error {
  readonly code = "lan-key-invalid";

  constructor(message: string) {
    super(message);
    this.name = "LanKeyError";
  }
}

/**
 * The store's shared LAN key: the file's bytes, surrounding whitespace trimmed (so a key written
 * with `openssl rand -hex 32 > key` works as is). Never logged; the error names the file, not its
 * content.
 */
export async function readLanKey(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new LanKeyError(`lan.keyFile ${path} cannot be read: ${(err as Error).message}`);
  }
  const key = Buffer.from(text.trim(), "utf8");
  if (key.length < MIN_LAN_KEY_BYTES)
    throw new LanKeyError(`lan.keyFile ${path} holds ${key.length} bytes; at least ${MIN_LAN_KEY_BYTES} are needed`);
  return key;
}
