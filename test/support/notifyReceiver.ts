import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const onPath = (name: string) =>
  (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, name)));

/** Whether the systemd notify tests can run: Linux, python3 (the receiver) and systemd-notify. */
export const NOTIFY_TOOLS_AVAILABLE = process.platform === "linux" && onPath("python3") && onPath("systemd-notify");

/**
 * systemd's side of sd_notify: a unix datagram socket at a path, printing each datagram as a JSON
 * line. Python, because Node cannot open a unix datagram socket; the descriptors systemd-notify
 * passes along (SCM_RIGHTS) are closed as they come.
 */
const RECEIVER = `
import array, json, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps({"ready": True}), flush=True)
while True:
    msg, anc, flags, addr = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
            for fd in fds:
                os.close(fd)
    print(json.dumps({"message": msg.decode()}), flush=True)
`;

export interface NotifyReceiver {
  /** Every datagram received, in order. */
  readonly messages: readonly string[];
  /** Resolves once a received datagram holds the line `assignment` (e.g. `READY=1`). */
  received(assignment: string): Promise<void>;
  /** How many datagrams held the line `assignment`. */
  count(assignment: string): number;
  stop(): void;
}

/** Binds a receiver at `socketPath`; resolves once it listens. */
export async function startNotifyReceiver(socketPath: string): Promise<NotifyReceiver> {
  const child: ChildProcess = spawn("python3", ["-c", RECEIVER, socketPath], { stdio: ["ignore", "pipe", "inherit"] });
  const messages: string[] = [];
  const waiters: (() => void)[] = [];
  let partial = "";
  let ready: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => {
    ready = resolve;
  });
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const parsed = JSON.parse(line) as { ready?: boolean; message?: string };
      if (parsed.ready) ready();
      if (parsed.message !== undefined) messages.push(parsed.message);
    }
    for (const wake of waiters.splice(0)) wake();
  });
  await listening;
  const holds = (m: string, assignment: string) => m.split("\n").includes(assignment);
  return {
    messages,
    received: (assignment) =>
      new Promise((resolve) => {
        const check = () => {
          if (messages.some((m) => holds(m, assignment))) resolve();
          else waiters.push(check);
        };
        check();
      }),
    count: (assignment) => messages.filter((m) => holds(m, assignment)).length,
    stop: () => child.kill(),
  };
}
