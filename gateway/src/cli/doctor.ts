import { join } from "node:path";
import { formatProblems } from "../../../protocol/index.js";
import type { BrokerProbeOptions, BrokerProbeResult } from "../adapters/mqtt/probeBroker.js";
import type { AdvertisingSocketProbe } from "../adapters/noble/HciAdvertiser.js";
import type { AdapterStateProbe } from "../adapters/noble/NobleScanSource.js";
import { SETCAP_COMMAND } from "../adapters/noble/NobleScanError.js";
import type { OutboxInspection } from "../adapters/sqlite/inspectOutbox.js";
import type { LanKeyFileProbe } from "../adapters/lan/lanProbes.js";
import { MIN_LAN_KEY_BYTES } from "../adapters/lan/sightingDatagram.js";
import type { HealthSnapshot } from "../adapters/system/HealthFile.js";
import type { BluetoothAdapterInfo, DiskSpace } from "../adapters/system/systemProbes.js";
import type { ConfigResult, GatewayConfig } from "../config/loadConfig.js";

/** Help text for `arrival-gateway doctor`. */
export const DOCTOR_USAGE = `Usage: arrival-gateway doctor [--config FILE] [--json] [--timeout SECONDS]

Checks what a gateway needs to run and says what to fix: the config file, the Bluetooth adapter,
the capabilities for raw HCI sockets, whether the adapter can advertise the store beacon, clock sync, the broker (a real MQTT CONNECT with the
configured credentials), the outbox and the free disk space of the data directory.

  --config FILE    the gateway config (default ${"/etc/arrival-gateway/gateway.json"})
  --json           one JSON document instead of the report
  --timeout S      how long the broker may take to answer (default 5)

Run it as the service user so it reads what the service reads:
  sudo -u arrival-gateway arrival-gateway doctor

Exit codes: 0 nothing failed (warnings allowed), 1 at least one check failed, 2 bad options.`;

export const DEFAULT_CONFIG_PATH = "/etc/arrival-gateway/gateway.json";

export type CheckStatus = "ok" | "warn" | "fail";

/** One line of the report. */
export interface DoctorCheck {
  readonly name: "config" | "adapter" | "capabilities" | "advertising" | "clock" | "broker" | "outbox" | "disk" | "lan";
  readonly status: CheckStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do about it (warn and fail only). */
  readonly fix?: string;
}

/**
 * Everything doctor asks the machine, injected so the checks run in tests without Bluetooth,
 * systemd or a broker. main.ts wires the real probes (adapters/system, mqtt, sqlite, noble).
 */
export interface DoctorProbes {
  loadConfig(path: string): Promise<ConfigResult>;
  bluetoothAdapters(): Promise<readonly BluetoothAdapterInfo[]>;
  /** Asks the kernel whether the adapter is up (noble's transport, loaded only when called). */
  adapterState(adapter: string): Promise<AdapterStateProbe>;
  /**
   * Opens the raw HCI socket the store beacon's advertiser uses, bound to the adapter, and closes
   * it without writing a command (noble's transport, loaded only when called).
   */
  advertisingSocket(adapter: string): Promise<AdvertisingSocketProbe>;
  /** CapEff of this process, null if unknown. */
  processCapabilities(): Promise<bigint | null>;
  /** getcap of a binary: "" none, null unknown. */
  fileCapabilities(path: string): Promise<string | null>;
  ntpSynchronized(): Promise<boolean | null>;
  probeBroker(options: BrokerProbeOptions): Promise<BrokerProbeResult>;
  /** Rejects with ENOENT when there is no outbox file. */
  inspectOutbox(path: string): Promise<OutboxInspection>;
  diskSpace(path: string): Promise<DiskSpace>;
  /** The store LAN key file: its mode, owner and key length (never its content). */
  lanKeyFile(path: string): Promise<LanKeyFileProbe>;
  /** Binds the LAN's UDP port and lets it go: null when it could. */
  udpBind(port: number, host?: string): Promise<{ readonly code: string; readonly message: string } | null>;
  /** Null when a peer's host resolves, else why not. */
  resolveHost(host: string): Promise<string | null>;
  /** The running gateway's health file (`<dataDir>/health.json`), null when there is none. */
  readHealth(dataDir: string): Promise<HealthSnapshot | null>;
  /** This process's uid (doctor runs as the service user), null where there is none. */
  readonly uid: number | null;
  now(): number;
  /** The node binary this process runs (process.execPath). */
  readonly nodePath: string;
}

export interface DoctorOptions {
  readonly configPath: string;
  readonly timeoutMs: number;
}

/** linux/capability.h */
const CAP_NET_ADMIN = 12n;
const CAP_NET_RAW = 13n;
const BLE_CAPS = (1n << CAP_NET_ADMIN) | (1n << CAP_NET_RAW);

/** Below these, the outbox (and the journal) may soon have no room. */
export const DISK_FAIL_BYTES = 50 * 1024 * 1024;
export const DISK_WARN_BYTES = 500 * 1024 * 1024;
/** Events waiting longer than this mean the uplink is not delivering. */
export const OUTBOX_STALE_MS = 15 * 60_000;

export function checkConfig(path: string, result: ConfigResult): DoctorCheck {
  if (result.ok) return { name: "config", status: "ok", detail: `${path} is valid` };
  return {
    name: "config",
    status: "fail",
    detail: `${path}: ${result.problems.length} problem(s)\n${formatProblems(result.problems)}`,
    fix: `fix each field named above (arrival-gateway check-config ${path}); the schema is firmware-config/gateway.schema.json`,
  };
}

export function checkAdapter(
  wanted: string,
  adapters: readonly BluetoothAdapterInfo[],
  state: AdapterStateProbe | null,
): DoctorCheck {
  const name = "adapter";
  if (adapters.length === 0 && state !== null && !state.ok && state.noKernelBluetooth === true) {
    // Said plainly, as `run` says it: advice about overlays and USB adapters does not help a kernel
    // (or a container's network namespace) that has no Bluetooth at all.
    return {
      name,
      status: "fail",
      detail: "this kernel has no Bluetooth support: it refused a Bluetooth socket (EAFNOSUPPORT)",
      fix: state.message,
    };
  }
  if (adapters.length === 0) {
    return {
      name,
      status: "fail",
      detail: "no Bluetooth adapter: /sys/class/bluetooth has no hci device",
      fix:
        "on a Raspberry Pi make sure /boot/firmware/config.txt has no dtoverlay=disable-bt and that the " +
        "bluez package is installed, then reboot; with a USB adapter check it shows in `lsusb`; in a " +
        "container run with --network host",
    };
  }
  const found = adapters.find((a) => a.name === wanted);
  const names = adapters.map((a) => a.name).join(", ");
  if (found === undefined) {
    return {
      name,
      status: "fail",
      detail: `scanner.adapter is ${wanted} but this machine has ${names}`,
      fix: `set scanner.adapter to one of ${names}`,
    };
  }
  if (found.hardBlocked === true) {
    return {
      name,
      status: "fail",
      detail: `${wanted} is blocked by a hardware switch (rfkill hard block)`,
      fix: "turn the radio switch on; `rfkill list` shows the state",
    };
  }
  if (found.softBlocked === true) {
    return {
      name,
      status: "fail",
      detail: `${wanted} is blocked by rfkill`,
      fix: "sudo rfkill unblock bluetooth",
    };
  }
  if (state === null) return { name, status: "ok", detail: `${wanted} present` };
  if (state.ok) return { name, status: "ok", detail: `${wanted} present and up` };
  // Without the capabilities noble cannot open the adapter at all; the capabilities check says so.
  const status: CheckStatus = state.code === "PERMISSION_DENIED" ? "warn" : "fail";
  return { name, status, detail: `${wanted} present, but: ${state.code}`, fix: state.message };
}

export function checkCapabilities(effective: bigint | null, nodePath: string, fileCaps: string | null): DoctorCheck {
  const name = "capabilities";
  if (effective !== null && (effective & BLE_CAPS) === BLE_CAPS) {
    return { name, status: "ok", detail: "this process holds CAP_NET_RAW and CAP_NET_ADMIN" };
  }
  const hasFileCaps = fileCaps !== null && /cap_net_admin/.test(fileCaps) && /cap_net_raw/.test(fileCaps);
  if (hasFileCaps) {
    return {
      name,
      status: "warn",
      detail: `${nodePath} has ${fileCaps} but this process does not hold them (NoNewPrivileges, or a nosuid mount)`,
      fix: "run doctor from a shell (not under a no-new-privileges wrapper); the service gets them from AmbientCapabilities",
    };
  }
  return {
    name,
    status: "warn",
    detail:
      effective === null
        ? "could not read this process's capabilities"
        : `neither this process nor ${nodePath} holds CAP_NET_RAW and CAP_NET_ADMIN: manual scans (arrival-gateway scan) will be refused`,
    fix: `for manual runs: ${SETCAP_COMMAND}; the service gets them from AmbientCapabilities in arrival-gateway.service`,
  };
}

/**
 * Can the store beacon go on air? What can be known without sending the controller a command (a
 * gateway may be running on the adapter): the adapter is usable, a raw HCI socket opens on it, and
 * this process may write LE commands to it (CAP_NET_RAW). Whether the controller accepts them is
 * only known by advertising; the gateway's status reports it (`advertising`: failed, with the
 * controller's answer).
 */
export function checkAdvertising(
  source: string,
  adapter: string,
  adapterCheck: DoctorCheck,
  socket: AdvertisingSocketProbe | null,
  effective: bigint | null,
): DoctorCheck {
  const name = "advertising";
  if (source !== "noble") {
    return { name, status: "ok", detail: `not on air: scanner.source is ${source}, so the store beacon is only recorded` };
  }
  if (adapterCheck.status === "fail" || socket === null) {
    return {
      name,
      status: "fail",
      detail: `${adapter} cannot advertise the store beacon: see the adapter check`,
      ...(adapterCheck.fix === undefined ? {} : { fix: adapterCheck.fix }),
    };
  }
  if (!socket.ok) {
    return { name, status: "fail", detail: `${adapter}: no raw HCI socket to advertise with: ${socket.code}`, fix: socket.message };
  }
  const unchecked =
    "not checked: whether the controller accepts LE Set Advertising Parameters, Data and Enable (asking would " +
    "disturb a running gateway); the gateway's status says so (advertising: failed, with the controller's answer)";
  if (effective === null || (effective & (1n << CAP_NET_RAW)) === 0n) {
    return {
      name,
      status: "warn",
      detail: `${adapter}: a raw HCI socket opens, but this process lacks CAP_NET_RAW, which advertising commands need\n${unchecked}`,
      fix: "the service gets it from AmbientCapabilities in arrival-gateway.service; see the capabilities check",
    };
  }
  return { name, status: "ok", detail: `${adapter}: a raw HCI socket opens and this process holds CAP_NET_RAW\n${unchecked}` };
}

export function checkClock(synchronized: boolean | null): DoctorCheck {
  const name = "clock";
  if (synchronized === true) return { name, status: "ok", detail: "synchronised by NTP" };
  if (synchronized === false) {
    return {
      name,
      status: "warn",
      detail: "not synchronised: event times may be wrong, and TLS may reject the broker's certificate",
      fix:
        "a Raspberry Pi has no real-time clock: let it reach an NTP server (UDP 123): sudo timedatectl set-ntp true; " +
        "systemctl status systemd-timesyncd",
    };
  }
  return {
    name,
    status: "warn",
    detail: "unknown: timedatectl could not tell (no systemd here?)",
    fix: "check the time with `date -u` against a trusted clock; install systemd-timesyncd or chrony",
  };
}

export function checkBroker(url: string, result: BrokerProbeResult): DoctorCheck {
  const name = "broker";
  if (result.ok) return { name, status: "ok", detail: `${url}: connected and authenticated` };
  const host = hostOf(url);
  const hostname = host.replace(/:\d+$/, "");
  const code = result.code === undefined ? "" : ` (${result.code})`;
  const detail = `${url}: ${result.failure} failure${code}: ${result.message}`;
  const fixes: Record<typeof result.failure, string> = {
    dns: `the name ${hostname} does not resolve: check mqtt.url and the DNS of this network (/etc/resolv.conf)`,
    tcp: `nothing answers at ${host}: check the port in mqtt.url, the network, and that outbound connections to it are allowed by the store's firewall`,
    tls:
      "the TLS handshake failed: check mqtt.caFile (a private CA needs its PEM bundle), that the URL's host " +
      "name matches the certificate, and the clock (an unsynchronised clock makes valid certificates look expired)",
    auth:
      "the broker refused these credentials: issue new ones in the cloud (POST /v1/gateways/GATEWAY/credentials) " +
      "and write the password to mqtt.passwordFile",
    refused: "the broker refused the connection: see the code; the broker may be overloaded or refusing this client id",
    timeout: `no answer from ${host} in time: a firewall dropping the connection, or the wrong port (mqtts:// on a plain port)`,
    credentials:
      "the credential files cannot be read: run doctor as the service user (sudo -u arrival-gateway arrival-gateway doctor) " +
      "and check mqtt.passwordFile, caFile, certFile and keyFile exist",
    error: "see the message; check mqtt.url",
  };
  return { name, status: "fail", detail, fix: fixes[result.failure] };
}

export function checkOutbox(
  path: string,
  inspection: OutboxInspection | "missing" | Error,
  now: number,
  maxRows: number,
): DoctorCheck {
  const name = "outbox";
  if (inspection === "missing") {
    return { name, status: "ok", detail: `no outbox at ${path} yet (the gateway creates it when it starts)` };
  }
  if (inspection instanceof Error) {
    return {
      name,
      status: "fail",
      detail: `${path} cannot be read: ${inspection.message}`,
      fix: "run doctor as the service user; if the file is damaged, stop the service and move it aside (its unsent events are lost)",
    };
  }
  if (inspection.integrity.length !== 1 || inspection.integrity[0] !== "ok") {
    return {
      name,
      status: "fail",
      detail: `${path} is damaged: ${inspection.integrity.slice(0, 3).join("; ")}`,
      fix: `sudo systemctl stop arrival-gateway; move ${path} aside (its unsent events are lost); start the service again`,
    };
  }
  const ageMs = inspection.oldestInsertedAt === null ? 0 : Math.max(0, now - inspection.oldestInsertedAt);
  const detail = `${inspection.depth} event(s) waiting${inspection.depth > 0 ? `, oldest ${formatAge(ageMs)} old` : ""}`;
  if (inspection.depth >= maxRows * 0.9) {
    return {
      name,
      status: "warn",
      detail: `${detail}: near uplink.outboxMaxRows (${maxRows}), the oldest events will be dropped`,
      fix: "restore the uplink (see the broker check); events wait here until the cloud acknowledges them",
    };
  }
  if (ageMs > OUTBOX_STALE_MS) {
    return {
      name,
      status: "warn",
      detail: `${detail}: the uplink is not delivering`,
      fix: "see the broker check and `journalctl -u arrival-gateway`; events are kept until uplink.outboxMaxAgeH",
    };
  }
  return { name, status: "ok", detail };
}

export function checkDisk(space: DiskSpace | Error): DoctorCheck {
  const name = "disk";
  if (space instanceof Error) {
    return { name, status: "warn", detail: `free space unknown: ${space.message}`, fix: "check with `df -h`" };
  }
  const free = space.availableBytes;
  const detail = `${formatBytes(free)} free of ${formatBytes(space.totalBytes)} at ${space.path}`;
  const fix =
    "free space: sudo journalctl --vacuum-size=100M; sudo apt-get clean; remove old releases in /opt/arrival-gateway/releases";
  // Absolute thresholds: what the outbox and the journal need does not grow with the card's size.
  if (free < DISK_FAIL_BYTES) return { name, status: "fail", detail, fix };
  if (free < DISK_WARN_BYTES) return { name, status: "warn", detail, fix };
  return { name, status: "ok", detail };
}

/** A health file older than this says nothing of the gateway now (it writes one every 5 s). */
export const HEALTH_FRESH_MS = 30_000;
/** A peer silent longer than this leaves the gateway deciding alone. */
export const PEER_SILENT_MS = 60_000;

/** What doctor found of the store LAN; `hosts` maps each peer's host to why it does not resolve (null: it does). */
export interface LanFacts {
  readonly keyFile: string;
  readonly key: LanKeyFileProbe;
  readonly uid: number | null;
  readonly port: number;
  readonly bind: { readonly code: string; readonly message: string } | null;
  readonly peers: readonly { readonly id: string; readonly address: string | undefined }[];
  readonly hosts: ReadonlyMap<string, string | null>;
  /** The running gateway's health file, when fresh. */
  readonly health: HealthSnapshot | null;
}

/**
 * The store LAN: the shared key file present, readable by the gateway's user only and long enough;
 * the UDP port free (or held by the running gateway); every peer address a host:port that resolves;
 * and, when the gateway runs, each peer heard within a minute. Pure.
 */
export function checkLan(f: LanFacts): DoctorCheck {
  const problems: { status: CheckStatus; detail: string; fix: string }[] = [];
  const found: string[] = [];
  if (!f.key.ok) {
    problems.push({
      status: "fail",
      detail: `lan.keyFile ${f.keyFile} cannot be read: ${f.key.code}`,
      fix:
        f.key.code === "ENOENT"
          ? "create it with the store's key (firmware-config/provision.sh --lan-key FILE, the same file on every gateway of the store)"
          : "make it readable by the gateway's user: sudo chown arrival-gateway: FILE && sudo chmod 600 FILE",
    });
  } else {
    if (f.key.bytes < MIN_LAN_KEY_BYTES)
      problems.push({
        status: "fail",
        detail: `lan.keyFile ${f.keyFile} holds ${f.key.bytes} bytes; at least ${MIN_LAN_KEY_BYTES} are needed`,
        fix: "make a new store key (openssl rand -hex 32) and put it on every gateway of the store",
      });
    if ((f.key.mode & 0o077) !== 0)
      problems.push({
        status: "fail",
        detail: `lan.keyFile ${f.keyFile} is mode ${f.key.mode.toString(8).padStart(3, "0")}: others may read the store key and forge sightings`,
        fix: `sudo chmod 600 ${f.keyFile}`,
      });
    if (f.uid !== null && f.key.ownerUid !== f.uid)
      problems.push({
        status: "warn",
        detail: `lan.keyFile ${f.keyFile} belongs to uid ${f.key.ownerUid}, not this user (${f.uid})`,
        fix: `run doctor as the service user; the file should belong to it: sudo chown arrival-gateway: ${f.keyFile}`,
      });
    if (problems.length === 0) found.push(`key file ${f.keyFile}: ${f.key.bytes} bytes, mode ${f.key.mode.toString(8).padStart(3, "0")}`);
  }
  const running = f.health !== null;
  if (f.bind === null) found.push(`UDP port ${f.port} free`);
  else if (f.bind.code === "EADDRINUSE" && running) found.push(`UDP port ${f.port} held by the running gateway`);
  else
    problems.push({
      status: "fail",
      detail: `UDP port ${f.port} cannot be bound: ${f.bind.code}`,
      fix:
        f.bind.code === "EADDRINUSE"
          ? `another program holds it (sudo ss -ulpn 'sport = :${f.port}'); stop it or set lan.port, and each peer's lan address for this gateway`
          : "check lan.bindHost is an address of this machine",
    });
  for (const p of f.peers) {
    if (p.address === undefined) {
      problems.push({ status: "warn", detail: `peer ${p.id} has no lan address: its sightings never reach this gateway`, fix: `set peers[].lan of ${p.id} to its host:port` });
      continue;
    }
    const at = p.address.lastIndexOf(":");
    const host = at > 0 ? p.address.slice(0, at) : "";
    const port = Number(p.address.slice(at + 1));
    if (host === "" || !Number.isInteger(port) || port < 1 || port > 65_535) {
      problems.push({ status: "fail", detail: `peer ${p.id}: lan address ${p.address} is not host:port`, fix: "write it as host:port, e.g. 10.0.0.12:47810" });
      continue;
    }
    const unresolved = f.hosts.get(host) ?? null;
    if (unresolved !== null)
      problems.push({
        status: "fail",
        detail: `peer ${p.id}: ${host} does not resolve (${unresolved})`,
        fix: "use the peer's fixed LAN address, or a name the store's DNS (or /etc/hosts) knows",
      });
  }
  if (running) {
    const heard = new Map((f.health?.lan?.peers ?? []).map((p) => [p.id, p.lastHeardAgeS]));
    for (const p of f.peers) {
      if (p.address === undefined) continue;
      const age = heard.get(p.id);
      if (age === undefined) continue;
      if (age === null || age * 1000 > PEER_SILENT_MS)
        problems.push({
          status: "warn",
          detail: `peer ${p.id}: ${age === null ? "no datagram since the gateway started" : `no datagram for ${formatAge(age * 1000)}`}; without it this gateway decides alone`,
          fix: `check ${p.id} runs with the same store key and lists this gateway's lan address, and that the LAN passes UDP ${f.port} (a running peer sends at least every 10 s)`,
        });
      else found.push(`peer ${p.id} heard ${formatAge(age * 1000)} ago`);
    }
  } else if (f.peers.length > 0) found.push("peers heard: not known (the gateway is not running)");
  const status: CheckStatus = problems.some((p) => p.status === "fail") ? "fail" : problems.length > 0 ? "warn" : "ok";
  return {
    name: "lan",
    status,
    detail: [...problems.map((p) => p.detail), ...found].join("\n"),
    ...(problems.length === 0 ? {} : { fix: problems.map((p) => p.fix).join("; ") }),
  };
}

/** Runs every check; config problems skip what needs the config. */
export async function diagnose(options: DoctorOptions, probes: DoctorProbes): Promise<DoctorCheck[]> {
  const loaded = await probes.loadConfig(options.configPath);
  const config: GatewayConfig | null = loaded.ok ? loaded.config : null;
  const checks: DoctorCheck[] = [checkConfig(options.configPath, loaded)];
  const scans = config === null || config.scanner.source === "noble";

  const adapter = config?.scanner.adapter ?? "hci0";
  const adapters = await probes.bluetoothAdapters();
  const present = adapters.some((a) => a.name === adapter && a.softBlocked !== true && a.hardBlocked !== true);
  // With no adapter listed the socket probe still tells a kernel without Bluetooth from a missing adapter.
  const state = present || adapters.length === 0 ? await probes.adapterState(adapter) : null;
  const adapterCheck = checkAdapter(adapter, adapters, state);
  checks.push(
    scans
      ? adapterCheck
      : {
          ...adapterCheck,
          status: adapterCheck.status === "fail" ? "warn" : adapterCheck.status,
          detail: `${adapterCheck.detail} (scanner.source is ${config?.scanner.source ?? "noble"}: not needed)`,
        },
  );
  const effective = await probes.processCapabilities();
  checks.push(checkCapabilities(effective, probes.nodePath, await probes.fileCapabilities(probes.nodePath)));
  const source = config?.scanner.source ?? "noble";
  const advertisingSocket = source === "noble" && adapterCheck.status !== "fail" ? await probes.advertisingSocket(adapter) : null;
  checks.push(checkAdvertising(source, adapter, adapterCheck, advertisingSocket, effective));
  checks.push(checkClock(await probes.ntpSynchronized()));

  if (config === null) {
    checks.push({
      name: "broker",
      status: "fail",
      detail: "not checked: the config is invalid",
      fix: "fix the config first",
    });
  } else {
    const m = config.mqtt;
    const result = await probes.probeBroker({
      url: m.url,
      username: m.username,
      clientId: `${m.username}:doctor`,
      timeoutMs: options.timeoutMs,
      ...(m.password === undefined ? {} : { password: m.password }),
      ...(m.passwordFile === undefined ? {} : { passwordFile: m.passwordFile }),
      ...(m.caFile === undefined ? {} : { caFile: m.caFile }),
      ...(m.certFile === undefined ? {} : { certFile: m.certFile }),
      ...(m.keyFile === undefined ? {} : { keyFile: m.keyFile }),
    });
    checks.push(checkBroker(m.url, result));
  }

  const dataDir = config?.dataDir ?? "/var/lib/arrival-gateway";
  const outboxPath = join(dataDir, "outbox.db");
  const inspection = await probes.inspectOutbox(outboxPath).catch((err: unknown) =>
    (err as { code?: unknown }).code === "ENOENT"
      ? ("missing" as const)
      : err instanceof Error
        ? err
        : new Error(String(err)),
  );
  checks.push(checkOutbox(outboxPath, inspection, probes.now(), config?.uplink.outboxMaxRows ?? 1_000_000));
  checks.push(
    checkDisk(await probes.diskSpace(dataDir).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))),
  );
  // Only for a gateway of a store LAN: one that judges alone has nothing to check here.
  const lan = config?.lan;
  if (config !== null && lan !== undefined) {
    const peers = config.peers.filter((p) => p.id !== config.gatewayId).map((p) => ({ id: p.id, address: p.lan }));
    const hosts = new Map<string, string | null>();
    for (const p of peers) {
      const host = p.address?.slice(0, Math.max(0, p.address.lastIndexOf(":")));
      if (host && !hosts.has(host)) hosts.set(host, await probes.resolveHost(host));
    }
    const health = await probes.readHealth(dataDir);
    checks.push(
      checkLan({
        keyFile: lan.keyFile,
        key: await probes.lanKeyFile(lan.keyFile),
        uid: probes.uid,
        port: lan.port,
        bind: await probes.udpBind(lan.port, lan.bindHost),
        peers,
        hosts,
        health: health !== null && probes.now() - health.at <= HEALTH_FRESH_MS ? health : null,
      }),
    );
  }
  return checks;
}

/** The report as text, one block per check. */
export function formatReport(configPath: string, checks: readonly DoctorCheck[]): string {
  const label: Record<CheckStatus, string> = { ok: "ok  ", warn: "WARN", fail: "FAIL" };
  const lines = [`arrival-gateway doctor (config ${configPath})`];
  for (const check of checks) {
    const [first = "", ...rest] = check.detail.split("\n");
    lines.push(`  ${label[check.status]}  ${check.name.padEnd(12)} ${first}`);
    for (const line of rest) lines.push(`${" ".repeat(21)}${line}`);
    if (check.fix !== undefined && check.status !== "ok") lines.push(`${" ".repeat(21)}fix: ${check.fix}`);
  }
  const failed = checks.filter((c) => c.status === "fail").length;
  const warned = checks.filter((c) => c.status === "warn").length;
  lines.push(failed === 0 && warned === 0 ? "all checks passed" : `${failed} failed, ${warned} warning(s)`);
  return `${lines.join("\n")}\n`;
}

/** Runs doctor and writes the report; resolves to the exit code (1 if any check failed). */
export async function runDoctor(
  options: DoctorOptions & { readonly json: boolean },
  probes: DoctorProbes,
  output: NodeJS.WritableStream,
): Promise<number> {
  const checks = await diagnose(options, probes);
  const ok = checks.every((c) => c.status !== "fail");
  output.write(
    options.json ? `${JSON.stringify({ ok, config: options.configPath, checks }, null, 2)}\n` : formatReport(options.configPath, checks),
  );
  return ok ? 0 : 1;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function formatAge(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}
