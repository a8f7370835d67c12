import { Duplex, Transform, type TransformCallback } from "node:stream";

export interface PacketLimits {
  /** Largest MQTT packet accepted (fixed header excluded), bytes. */
  readonly maxPacketBytes: number;
  /** Largest CONNECT packet, bytes; it arrives before authentication, so it is kept small. */
  readonly maxConnectBytes: number;
}

const CONNECT = 1;

/** A packet over the limits, or a malformed length: the only errors worth a warning. */
export class MqttPacketViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MqttPacketViolation";
  }
}

/**
 * Watches the MQTT packet boundaries of an incoming byte stream and fails it as soon as a fixed
 * header announces a packet over the limit. The MQTT parser would otherwise buffer whatever
 * "Remaining Length" a client declares (up to 256 MiB, [MQTT-2.2.3]) before any authentication or
 * size check runs. Bytes pass through unchanged.
 */
export class MqttPacketGuard extends Transform {
  private readonly limits: PacketLimits;
  /** Bytes of the current packet's body still to pass. */
  private remaining = 0;
  /** Fixed header being read: packet type, then the variable-length "Remaining Length". */
  private type = -1;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;

  constructor(limits: PacketLimits) {
    super();
    this.limits = limits;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const skip = Math.min(this.remaining, chunk.length - i);
        this.remaining -= skip;
        i += skip;
        continue;
      }
      const byte = chunk[i++] as number;
      if (this.type < 0) {
        this.type = byte >> 4;
        continue;
      }
      // Remaining Length: 7 bits per byte, high bit = more bytes, at most 4 bytes [MQTT-2.2.3].
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (byte & 0x80) {
        if (this.lengthBytes >= 4) {
          callback(new MqttPacketViolation("malformed remaining length"));
          return;
        }
        continue;
      }
      const limit = this.type === CONNECT ? this.limits.maxConnectBytes : this.limits.maxPacketBytes;
      if (this.length > limit) {
        callback(new MqttPacketViolation(`packet of ${this.length} bytes exceeds ${limit}`));
        return;
      }
      this.remaining = this.length;
      this.type = -1;
      this.length = 0;
      this.multiplier = 1;
      this.lengthBytes = 0;
    }
    callback(null, chunk);
  }
}

/**
 * The connection aedes handles: reads go through the guard, writes go straight to the socket. A
 * violation destroys the socket, so nothing more is read or buffered.
 */
export function guardedConnection(socket: Duplex, limits: PacketLimits, onViolation: (err: Error) => void): Duplex {
  const guard = new MqttPacketGuard(limits);
  guard.on("error", (err) => {
    // Every ordinary disconnect also ends the guard with an error ("Premature close", as the
    // composed duplex tears it down): only a real violation is one to report.
    if (err instanceof MqttPacketViolation) onViolation(err);
    socket.destroy();
  });
  socket.pipe(guard);
  const connection = Duplex.from({ readable: guard, writable: socket });
  socket.on("close", () => connection.destroy());
  socket.on("error", () => connection.destroy());
  return connection;
}
