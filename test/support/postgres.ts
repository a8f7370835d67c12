import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./freePort.js";

/**
 * A private PostgreSQL cluster started by the tests themselves wherever Debian's `postgresql`
 * package is installed (`apt-get install -y postgresql`; CI's .ci/run does it): `initdb` in a temp
 * directory with a random superuser password (scram-sha-256, no trust), a free port on 127.0.0.1,
 * its socket in the temp directory. Each test file starts its own cluster and each suite takes a
 * fresh database of it (`createDatabase`), so files run in parallel without sharing state.
 *
 * PostgreSQL refuses to run as root: under root the server runs as the `postgres` account the
 * package creates (or `nobody`), which owns the temp directory.
 *
 * Without PostgreSQL the tests that need it are skipped with `POSTGRES_SKIP_REASON`; with
 * ARRIVAL_TEST_REQUIRE_POSTGRES=1 (set by .ci/run) they fail instead, so CI cannot pass by skipping.
 */

const execFileAsync = promisify(execFile);

function findBinDir(): string | null {
  const given = process.env.ARRIVAL_TEST_POSTGRES_BIN_DIR;
  if (given) return existsSync(join(given, "postgres")) ? given : null;
  for (const version of ["17", "16", "15", "14", "13"]) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, "postgres")) && existsSync(join(dir, "initdb"))) return dir;
  }
  return null;
}

const binDir = findBinDir();

/** Why PostgreSQL tests cannot run here, or null when they can. */
export const POSTGRES_SKIP_REASON: string | null =
  binDir === null ? "PostgreSQL is not installed (apt-get install -y postgresql): PostgreSQL tests skipped" : null;

if (POSTGRES_SKIP_REASON !== null && process.env.ARRIVAL_TEST_REQUIRE_POSTGRES === "1") {
  throw new Error(`ARRIVAL_TEST_REQUIRE_POSTGRES=1 but ${POSTGRES_SKIP_REASON}`);
}
if (POSTGRES_SKIP_REASON !== null) process.stderr.write(`note: ${POSTGRES_SKIP_REASON}\n`);

/** True when `startPostgres` can run; use with `describe.skipIf(!POSTGRES_AVAILABLE)`. */
export const POSTGRES_AVAILABLE = POSTGRES_SKIP_REASON === null;

export interface PostgresInstance {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** A connection URL for `database` (default `postgres`). */
  url(database?: string): string;
  /** Creates an empty database with a unique name and returns its connection URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Stops the server without removing its data (for restart tests). */
  halt(mode?: "fast" | "immediate"): Promise<void>;
  /**
   * Stops the server if it runs (`mode` as for `halt`, default fast) and starts it again on the same
   * port and data directory, data kept: a restart as clients see it, every connection dropped.
   */
  restart(mode?: "fast" | "immediate"): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): Promise<string>;
  /** The postmaster's pid while it runs (its backends are its children), else null. */
  serverPid(): number | null;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** The account the server runs as when the tests run as root. */
function serverAccount(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const name of ["postgres", "nobody"]) {
    const line = passwd.find((l) => l.startsWith(`${name}:`));
    if (line) {
      const fields = line.split(":");
      return { uid: Number(fields[2]), gid: Number(fields[3]) };
    }
  }
  throw new Error("running as root and neither a postgres nor a nobody account exists to run PostgreSQL as");
}

async function ready(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Starts a private PostgreSQL cluster; rejects with its log when it does not come up. */
export async function startPostgres(options: {
  /**
   * Commit as a production server does (fsync, synchronous commit, full page writes): for the
   * benchmarks, which compare it with SQLite's synchronous FULL. Tests run without, for speed.
   */
  readonly durable?: boolean;
} = {}): Promise<PostgresInstance> {
  if (binDir === null) throw new Error(POSTGRES_SKIP_REASON ?? "no PostgreSQL");
  const dir = await mkdtemp(join(tmpdir(), "arrival-postgres-"));
  const account = serverAccount();
  const dataDir = join(dir, "data");
  const logFile = join(dir, "postgres.log");
  const user = "arrival";
  const password = randomBytes(18).toString("base64url");
  const pwFile = join(dir, "pw");
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  await writeFile(logFile, "");
  if (account) {
    await chmod(dir, 0o700);
    await chown(dir, account.uid, account.gid);
    await chown(pwFile, account.uid, account.gid);
    await chown(logFile, account.uid, account.gid);
  }
  const asServer = account ? { uid: account.uid, gid: account.gid } : {};
  await execFileAsync(
    join(binDir, "initdb"),
    ["-D", dataDir, "-U", user, `--pwfile=${pwFile}`, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"],
    { ...asServer, env: { ...process.env, LC_ALL: "C" } },
  );
  await rm(pwFile, { force: true });
  const port = await freePort();
  let child: ChildProcess | null = null;
  let stderr = "";
  const log = async () => (await readFile(logFile, "utf8").catch(() => "")) + stderr;
  const url = (database = "postgres") =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  const start = async (): Promise<void> => {
    stderr = "";
    const server = spawn(
      join(binDir, "postgres"),
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-k",
        dir,
        "-c",
        "listen_addresses=127.0.0.1",
        // A test cluster: durability of the temp directory is not what is tested, speed is.
        ...(options.durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
        "-c",
        "max_connections=200",
        "-c",
        `log_directory=${dir}`,
        "-c",
        "logging_collector=off",
      ],
      { ...asServer, stdio: ["ignore", "ignore", "pipe"] },
    );
    server.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child = server;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && server.exitCode === null) {
      if (await ready(url())) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    server.kill("SIGKILL");
    throw new Error(`PostgreSQL did not start:\n${await log()}`);
  };

  const halt = async (mode: "fast" | "immediate" = "fast"): Promise<void> => {
    const server = child;
    if (server === null || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
    // SIGINT is PostgreSQL's fast shutdown, SIGQUIT its immediate one (a crash, as far as clients see).
    server.kill(mode === "fast" ? "SIGINT" : "SIGQUIT");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGKILL");
      await exited;
    }
    child = null;
  };

  try {
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  let databases = 0;
  return {
    serverPid: () => (child && child.exitCode === null && child.signalCode === null ? (child.pid ?? null) : null),
    host: "127.0.0.1",
    port,
    user,
    password,
    url,
    async createDatabase(prefix = "t") {
      const name = `${prefix.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${++databases}_${randomBytes(3).toString("hex")}`;
      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    halt,
    async restart(mode = "fast") {
      await halt(mode);
      await start();
    },
    log,
    async stop() {
      await halt("fast");
      await rm(dir, { recursive: true, force: true });
    },
  };
}
