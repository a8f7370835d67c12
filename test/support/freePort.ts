import { createServer } from "node:net";

/**
 * A TCP port that was free a moment ago on 127.0.0.1. For tests that must restart a server on the
 * same port (port 0 would give the second server another one); a tiny race with other processes
 * remains, which is why callers pick it just before the first listen.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (port === 0) throw new Error("no free port");
  return port;
}
