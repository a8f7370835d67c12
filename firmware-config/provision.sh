#!/usr/bin/env bash
# Puts a Raspberry Pi OS / Debian machine into service as an Arrival gateway, or brings one up to
# date: packages, Node.js, the BLE capabilities, the service user, the config and data directories,
# the app, the config, the systemd unit. Safe to run again: every step first looks at what is
# there and changes only what differs; an existing config or password file is never overwritten.
#
#   sudo firmware-config/provision.sh --config gateway.json --password-file mqtt-password
#   firmware-config/provision.sh --dry-run ...     print the plan, change nothing (no root needed)
#
# See --help and docs/deploy.md.
set -euo pipefail

readonly SERVICE=arrival-gateway
readonly SERVICE_USER=arrival-gateway
readonly NODE_MIN_MAJOR=20
readonly BLE_CAPS=cap_net_admin,cap_net_raw
readonly NODESOURCE_HELP="Install Node.js ${NODE_MIN_MAJOR} or later from NodeSource (https://github.com/nodesource/distributions):
         curl -fsSL https://deb.nodesource.com/setup_22.x -o /tmp/nodesource_setup.sh
         sudo bash /tmp/nodesource_setup.sh && sudo apt-get install -y nodejs
       then run this script again."

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR

usage() {
  cat <<EOF
Usage: provision.sh [--dry-run] [--config FILE] [--password-file FILE] [--app PATH]
                    [--public-key FILE] [--node PATH] [--no-start] [--root DIR]
                    [--lan-key FILE | --new-lan-key]

Installs or updates the Arrival gateway on this machine (Raspberry Pi OS / Debian, systemd).

  --config FILE         gateway config to install as /etc/${SERVICE}/gateway.json, unless that
                        file exists (it is never overwritten). Without one, an example is installed
                        and the service is not started until you edit it.
  --password-file FILE  the gateway's MQTT password, installed as /etc/${SERVICE}/mqtt-password
                        (mode 0600, owner ${SERVICE_USER}) unless that file exists.
  --app PATH            the app: a release tarball from \`npm run release\` (arrival-VERSION.tgz,
                        with its .sha256 and .sig beside it), or a built checkout (with dist/;
                        not verified) (default: the checkout this script is in, ${SCRIPT_DIR%/*}).
  --public-key FILE     the operator's release-signing.pub, installed as
                        /etc/${SERVICE}/release-signing.pub unless that file exists. A tarball is
                        installed only if its signature verifies with the installed key.
  --node PATH           node binary (default: the node on PATH).
  --lan-key FILE        the store's LAN key (config lan.keyFile), installed as
                        /etc/${SERVICE}/lan.key (mode 0600, owner ${SERVICE_USER}) unless that
                        file exists. Every gateway of a store needs the same key: make it once
                        (--new-lan-key on the first gateway, or openssl rand -hex 32 > lan.key)
                        and give that file to each of the others.
  --new-lan-key         make a new store LAN key as /etc/${SERVICE}/lan.key unless that file
                        exists: for the first gateway of a store; then copy the file (not its
                        text into a chat or a ticket) to the others and pass it with --lan-key.
                        The key is never printed.
  --no-start            install and enable the service, but do not start or restart it.
  --dry-run             print what would change, change nothing; needs no root.
  --root DIR            with --dry-run: plan the files under DIR instead of / (for tests and
                        image builds); packages, user and capabilities are still checked here.
  -h, --help            this help.

Each line of output is one step: "ok" (already as it should be), "do" (changed, or would be in
a dry run), "skip" (not applicable here) or "FAIL" (must be fixed first; nothing after it runs).
EOF
}

DRY_RUN=0
START=1
ROOT=""
CONFIG_SRC=""
PASSWORD_SRC=""
APP_SRC="${SCRIPT_DIR%/*}"
KEY_SRC=""
NODE_BIN=""
LAN_KEY_SRC=""
NEW_LAN_KEY=0

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --no-start) START=0 ;;
    --config) CONFIG_SRC="${2:?--config needs a FILE}"; shift ;;
    --password-file) PASSWORD_SRC="${2:?--password-file needs a FILE}"; shift ;;
    --app) APP_SRC="${2:?--app needs a PATH}"; shift ;;
    --public-key) KEY_SRC="${2:?--public-key needs a FILE}"; shift ;;
    --node) NODE_BIN="${2:?--node needs a PATH}"; shift ;;
    --lan-key) LAN_KEY_SRC="${2:?--lan-key needs a FILE}"; shift ;;
    --new-lan-key) NEW_LAN_KEY=1 ;;
    --root) ROOT="${2:?--root needs a DIR}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'unknown option %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ -n "$LAN_KEY_SRC" ] && [ "$NEW_LAN_KEY" -eq 1 ]; then
  echo "--lan-key and --new-lan-key exclude each other: a store has one key" >&2
  exit 2
fi
if [ -n "$ROOT" ]; then
  if [ "$DRY_RUN" -ne 1 ]; then
    echo "--root is only for --dry-run: provision the target machine itself" >&2
    exit 2
  fi
  ROOT="$(cd "$ROOT" && pwd)"
fi
if [ "$DRY_RUN" -ne 1 ] && [ "$(id -u)" -ne 0 ]; then
  echo "provision.sh changes system files: run it with sudo (or with --dry-run to see the plan)" >&2
  exit 2
fi

readonly ETC_DIR="${ROOT}/etc/${SERVICE}"
readonly DATA_DIR="${ROOT}/var/lib/${SERVICE}"
readonly OPT_DIR="${ROOT}/opt/${SERVICE}"
readonly UNIT_PATH="${ROOT}/etc/systemd/system/${SERVICE}.service"
readonly CONFIG_PATH="${ETC_DIR}/gateway.json"
readonly PASSWORD_PATH="${ETC_DIR}/mqtt-password"
readonly LAN_KEY_PATH="${ETC_DIR}/lan.key"
# At least this many bytes of key (the gateway's MIN_LAN_KEY_BYTES).
readonly LAN_KEY_MIN_BYTES=32
readonly WRAPPER_PATH="${ROOT}/usr/local/bin/${SERVICE}"
readonly KEY_PATH="${ETC_DIR}/release-signing.pub"
readonly RELEASE_TOOL="${SCRIPT_DIR}/install-release.sh"

CHANGES=0
FAILED=0
RESTART_NEEDED=0
DAEMON_RELOAD=0

# One line per step. `change` runs its command unless this is a dry run.
ok() { printf '  ok    %s\n' "$1"; }
skip() { printf '  skip  %s\n' "$1"; }
fail() {
  printf '  FAIL  %s\n' "$1"
  FAILED=1
}
change() {
  local what="$1"
  shift
  printf '  do    %s\n' "$what"
  CHANGES=$((CHANGES + 1))
  if [ "$DRY_RUN" -eq 0 ]; then "$@"; fi
}
# Real runs stop at the first failure (later steps depend on earlier ones); dry runs go on, so the
# plan shows everything at once.
stop_if_failed() {
  if [ "$FAILED" -eq 1 ] && [ "$DRY_RUN" -eq 0 ]; then
    echo "stopped: fix the FAIL above and run provision.sh again" >&2
    exit 1
  fi
}

section() { printf '%s\n' "$1"; }

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# "user:group mode" of a path, e.g. "root:arrival-gateway 750".
owner_mode() { stat -c '%U:%G %a' "$1"; }

set_owner_mode() {
  chown "$1" "$3"
  chmod "$2" "$3"
}

write_file() {
  mkdir -p "$(dirname "$2")"
  printf '%s\n' "$1" >"$2"
  chmod "$3" "$2"
}

# 32 random bytes as 64 hex characters, created readable by the service user only: the file is
# made under umask 077, so the key is never readable by others, not even for a moment.
new_lan_key() {
  (
    umask 077
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$1"
    printf '\n' >>"$1"
  )
  chown "${SERVICE_USER}:${SERVICE_USER}" "$1"
  chmod 0600 "$1"
}

# Makes a directory exist with this owner and mode.
ensure_dir() {
  local path="$1" owner="$2" mode="$3"
  if [ ! -d "$path" ]; then
    change "create ${path} (${owner}, ${mode})" install -d -o "${owner%:*}" -g "${owner#*:}" -m "$mode" "$path"
  elif [ "$(owner_mode "$path")" != "${owner} ${mode#0}" ] && [ -z "$ROOT" ]; then
    change "set ${path} to ${owner}, ${mode} (was $(owner_mode "$path"))" \
      set_owner_mode "$owner" "$mode" "$path"
  else
    ok "${path} exists"
  fi
}

# A content hash of the app source, so a re-run with the same release installs nothing.
source_hash() {
  if [ -f "$APP_SRC" ]; then
    sha256sum "$APP_SRC" | cut -d' ' -f1
  else
    local items=() item
    for item in package.json package-lock.json dist firmware-config; do
      if [ -e "$APP_SRC/$item" ]; then items+=("$item"); fi
    done
    (cd "$APP_SRC" && find "${items[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) |
      sha256sum | cut -d' ' -f1
  fi
}

app_version() {
  local json
  if [ -f "$APP_SRC" ]; then json="$(tar -xzOf "$APP_SRC" package/package.json)"; else json="$(cat "$APP_SRC/package.json")"; fi
  if [ -x "$NODE_BIN" ]; then
    printf '%s' "$json" | "$NODE_BIN" -p 'String(JSON.parse(require("fs").readFileSync(0, "utf8")).version ?? "")'
  else
    # A dry run before node is installed: package.json as npm writes it, one field per line.
    printf '%s\n' "$json" | sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' | head -n 1
  fi
}

# A checkout (development): copied as it is, with its lockfile, into its own release directory.
# Tarballs go through install-release.sh, which refuses one without npm-shrinkwrap.json.
install_checkout() {
  local release="$1" hash="$2" item
  rm -rf "$release.partial"
  mkdir -p "$release.partial"
  for item in package.json package-lock.json dist firmware-config; do
    if [ -e "$APP_SRC/$item" ]; then cp -a "$APP_SRC/$item" "$release.partial/"; fi
  done
  if [ -f "$release.partial/package-lock.json" ]; then
    (cd "$release.partial" && npm ci --omit=dev --include=optional --no-audit --no-fund)
  else
    (cd "$release.partial" && npm install --omit=dev --include=optional --no-audit --no-fund)
  fi
  printf '%s\n' "$hash" >"$release.partial/.source-sha256"
  chown -R root:root "$release.partial"
  rm -rf "$release"
  mv "$release.partial" "$release"
}

install_tarball() {
  local name
  name="$("$RELEASE_TOOL" install "$APP_SRC" --prefix "$OPT_DIR")"
  [ "$name" = "$1" ] || { echo "installed ${name}, expected $1" >&2; return 1; }
}

# The unit as installed: the committed file with the node binary found here in ExecStart.
rendered_unit() {
  sed "s#^ExecStart=/usr/bin/node #ExecStart=${NODE_REAL} #" "$SCRIPT_DIR/${SERVICE}.service"
}

printf 'Arrival gateway provisioning%s\n' "$([ "$DRY_RUN" -eq 1 ] && printf ' (dry run: nothing is changed)')"
[ -n "$ROOT" ] && printf 'files under %s\n' "$ROOT"

section "system"
if [ -r /etc/debian_version ]; then
  ok "Debian-based system ($(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null || true))"
else
  fail "this script is for Raspberry Pi OS / Debian (no /etc/debian_version)"
fi
if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  fail "apt and dpkg are needed"
fi
stop_if_failed

section "packages"
# bluez: the kernel side of Bluetooth is enough for raw HCI scanning, but bluez brings the tools
# (bluetoothctl, btmgmt) and the bluetooth group and target the unit orders itself after.
# libcap2-bin: setcap/getcap. The build tools build the HCI socket's native module when npm
# finds no prebuilt binary for this board.
missing=()
for pkg in bluez libcap2-bin build-essential python3 libbluetooth-dev libudev-dev; do
  if package_installed "$pkg"; then ok "package ${pkg} installed"; else missing+=("$pkg"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  change "apt-get install ${missing[*]}" apt_install "${missing[@]}"
fi

section "node.js"
[ -n "$NODE_BIN" ] || NODE_BIN="$(command -v node || true)"
node_major=0
if [ -n "$NODE_BIN" ] && [ -x "$NODE_BIN" ]; then
  node_major="$("$NODE_BIN" -p 'process.versions.node.split(".")[0]')"
fi
if [ "$node_major" -ge "$NODE_MIN_MAJOR" ]; then
  ok "node $("$NODE_BIN" --version) at ${NODE_BIN}"
else
  # The OS's own package when it is recent enough (Debian 13, Raspberry Pi OS based on it).
  candidate="$(apt-cache policy nodejs 2>/dev/null | sed -n 's/^ *Candidate: *\([0-9]*\).*/\1/p')"
  if [ -n "$candidate" ] && [ "$candidate" -ge "$NODE_MIN_MAJOR" ]; then
    change "apt-get install nodejs npm (Node.js ${candidate} from the OS)" apt_install nodejs npm
    NODE_BIN=/usr/bin/node
  else
    fail "Node.js ${NODE_MIN_MAJOR} or later is needed and the OS offers ${candidate:-none}. ${NODESOURCE_HELP}"
    NODE_BIN=/usr/bin/node
  fi
fi
if command -v npm >/dev/null 2>&1; then
  ok "npm $(npm --version 2>/dev/null)"
elif [ "$FAILED" -eq 0 ] && [ "$node_major" -ge "$NODE_MIN_MAJOR" ]; then
  change "apt-get install npm" apt_install npm
fi
stop_if_failed
NODE_REAL="$(readlink -f "$NODE_BIN" 2>/dev/null || printf '%s' "$NODE_BIN")"

section "bluetooth capabilities"
# For manual runs (`arrival-gateway scan`, `doctor`) as an ordinary user; the service gets the same
# two capabilities from the unit's AmbientCapabilities. Every node program run on this machine gets
# them too: on a dedicated gateway that is the accepted trade-off (docs/deploy.md).
if getcap "$NODE_REAL" 2>/dev/null | grep -q "${BLE_CAPS}[=+]eip"; then
  ok "${NODE_REAL} has ${BLE_CAPS}+eip"
else
  change "setcap ${BLE_CAPS}+eip ${NODE_REAL}" setcap "${BLE_CAPS}+eip" "$NODE_REAL"
fi

section "service user"
if getent passwd "$SERVICE_USER" >/dev/null; then
  ok "user ${SERVICE_USER} exists"
else
  change "create system user ${SERVICE_USER} (no login, no home)" \
    useradd --system --user-group --home-dir "/var/lib/${SERVICE}" --no-create-home \
    --shell /usr/sbin/nologin "$SERVICE_USER"
fi
if id -nG "$SERVICE_USER" 2>/dev/null | tr ' ' '\n' | grep -qx bluetooth; then
  ok "${SERVICE_USER} is in group bluetooth"
else
  change "add ${SERVICE_USER} to group bluetooth" usermod -a -G bluetooth "$SERVICE_USER"
fi

section "directories"
ensure_dir "$ETC_DIR" "root:${SERVICE_USER}" 0750
ensure_dir "$DATA_DIR" "${SERVICE_USER}:${SERVICE_USER}" 0750
ensure_dir "$OPT_DIR" root:root 0755
ensure_dir "$OPT_DIR/releases" root:root 0755

section "release key"
if [ -f "$KEY_PATH" ]; then
  if [ -n "$KEY_SRC" ] && ! cmp -s "$KEY_SRC" "$KEY_PATH"; then
    ok "keep ${KEY_PATH}, not ${KEY_SRC} (the installed key is never replaced: remove it to install another)"
  else
    ok "keep ${KEY_PATH}"
  fi
elif [ -n "$KEY_SRC" ]; then
  if [ -f "$KEY_SRC" ]; then
    change "install ${KEY_SRC} as ${KEY_PATH} (root, 0644)" install -o root -g root -m 0644 "$KEY_SRC" "$KEY_PATH"
  else
    fail "--public-key ${KEY_SRC}: no such file"
  fi
elif [ -f "$APP_SRC" ]; then
  fail "no release key at ${KEY_PATH}: pass --public-key release-signing.pub (from the operator's npm run release -- keygen)"
else
  skip "no release key (a checkout is installed unverified)"
fi

section "app"
if [ -f "$APP_SRC" ] && tar -tzf "$APP_SRC" package/dist/gateway/src/main.js >/dev/null 2>&1; then
  ok "app tarball ${APP_SRC}"
  # Verified before anything of it is installed, in a dry run too (it only reads).
  key="$KEY_PATH"
  [ -f "$key" ] || key="$KEY_SRC"
  if [ -n "$key" ] && [ -f "$key" ]; then
    if verify_output="$("$RELEASE_TOOL" verify "$APP_SRC" --public-key "$key" 2>&1)"; then
      ok "signature and checksum of ${APP_SRC} verified with ${key}"
    else
      fail "${verify_output#install-release: }"
    fi
  fi
elif [ -f "$APP_SRC/package.json" ] && [ -f "$APP_SRC/dist/gateway/src/main.js" ]; then
  ok "app checkout ${APP_SRC} (not a signed release: for development)"
else
  fail "no built app at ${APP_SRC}: pass --app arrival-VERSION.tgz made by \`npm run release\`, or run \`npm ci && npm run build\` there"
fi
stop_if_failed
if [ "$FAILED" -eq 0 ]; then
  version="$(app_version)"
  if ! [[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]]; then
    fail "the app's package.json has no usable version (${version:-none})"
    stop_if_failed
    version=unknown
  fi
  hash="$(source_hash)"
  # VERSION-HASH: another build of the same version is a release of its own, so installing it
  # never touches the running one.
  name="${version}-${hash:0:12}"
  release="${OPT_DIR}/releases/${name}"
  if [ -f "$release/.source-sha256" ] && [ "$(cat "$release/.source-sha256")" = "$hash" ]; then
    ok "release ${name} installed in ${release}"
  elif [ -f "$APP_SRC" ]; then
    change "install release ${name} in ${release} (npm ci --omit=dev from its npm-shrinkwrap.json)" install_tarball "$name"
    RESTART_NEEDED=1
  else
    change "install release ${name} in ${release} (npm ci --omit=dev)" install_checkout "$release" "$hash"
    RESTART_NEEDED=1
  fi
  running="$(readlink "$OPT_DIR/current" 2>/dev/null || true)"
  if [ "$running" = "releases/${name}" ]; then
    ok "${OPT_DIR}/current is release ${name}"
  else
    change "point ${OPT_DIR}/current at release ${name}${running:+ (previous: ${running#releases/})}" \
      "$RELEASE_TOOL" switch "$name" --prefix "$OPT_DIR"
    RESTART_NEEDED=1
  fi
  # Two releases stay: the current one and the one before it (what a rollback goes back to).
  if [ "$running" = "releases/${name}" ]; then
    keep="$(readlink "$OPT_DIR/previous" 2>/dev/null || true)"
  else
    keep="$running"
  fi
  stale=0
  for old in "$OPT_DIR"/releases/*; do
    [ -d "$old" ] || continue
    case "releases/${old##*/}" in
      "releases/${name}" | "$keep") ;;
      *) stale=$((stale + 1)) ;;
    esac
  done
  if [ "$stale" -gt 0 ]; then
    change "prune ${stale} release(s) older than current and previous" "$RELEASE_TOOL" prune --prefix "$OPT_DIR"
  fi
fi

# The command for people on the machine (doctor, check-config, scan), on the same node and release.
wrapper_text="#!/bin/sh
# Installed by provision.sh: arrival-gateway from the current release.
exec ${NODE_REAL} /opt/${SERVICE}/current/dist/gateway/src/main.js \"\$@\""
if [ -f "$WRAPPER_PATH" ] && [ "$(cat "$WRAPPER_PATH")" = "$wrapper_text" ]; then
  ok "${WRAPPER_PATH} up to date"
else
  change "install ${WRAPPER_PATH} (runs the current release)" write_file "$wrapper_text" "$WRAPPER_PATH" 0755
fi

section "config"
CONFIG_IS_EXAMPLE=0
if [ -f "$CONFIG_PATH" ]; then
  if [ -n "$CONFIG_SRC" ] && ! cmp -s "$CONFIG_SRC" "$CONFIG_PATH"; then
    ok "keep ${CONFIG_PATH}, not ${CONFIG_SRC} (an existing config is never overwritten: edit it, or remove it to install another)"
  else
    ok "keep ${CONFIG_PATH} (an existing config is never overwritten)"
  fi
elif [ -n "$CONFIG_SRC" ]; then
  if [ -f "$CONFIG_SRC" ]; then
    change "install ${CONFIG_SRC} as ${CONFIG_PATH} (root:${SERVICE_USER}, 0640)" \
      install -o root -g "$SERVICE_USER" -m 0640 "$CONFIG_SRC" "$CONFIG_PATH"
    RESTART_NEEDED=1
  else
    fail "--config ${CONFIG_SRC}: no such file"
  fi
else
  CONFIG_IS_EXAMPLE=1
  change "install the example ${SCRIPT_DIR}/examples/one-gateway-shop.json as ${CONFIG_PATH}: edit it, then start the service" \
    install -o root -g "$SERVICE_USER" -m 0640 "$SCRIPT_DIR/examples/one-gateway-shop.json" "$CONFIG_PATH"
fi
if [ -f "$PASSWORD_PATH" ]; then
  if [ -z "$ROOT" ] && [ "$(owner_mode "$PASSWORD_PATH")" != "${SERVICE_USER}:${SERVICE_USER} 600" ]; then
    change "set ${PASSWORD_PATH} to ${SERVICE_USER}, 0600 (was $(owner_mode "$PASSWORD_PATH"))" \
      set_owner_mode "${SERVICE_USER}:${SERVICE_USER}" 0600 "$PASSWORD_PATH"
  else
    ok "keep ${PASSWORD_PATH} (never overwritten)"
  fi
elif [ -n "$PASSWORD_SRC" ]; then
  if [ -f "$PASSWORD_SRC" ]; then
    change "install the MQTT password as ${PASSWORD_PATH} (${SERVICE_USER}, 0600)" \
      install -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0600 "$PASSWORD_SRC" "$PASSWORD_PATH"
  else
    fail "--password-file ${PASSWORD_SRC}: no such file"
  fi
else
  skip "no ${PASSWORD_PATH} and no --password-file: put the gateway's MQTT password there (mode 0600)"
fi
# The store LAN key: read by the gateway's user only, and never printed (a log or a terminal
# scrollback must not hold what lets anyone on the LAN forge sightings).
if [ -n "$LAN_KEY_SRC" ] || [ "$NEW_LAN_KEY" -eq 1 ]; then
  if [ -f "$LAN_KEY_PATH" ]; then
    if [ -n "$LAN_KEY_SRC" ] && [ -f "$LAN_KEY_SRC" ] && ! cmp -s "$LAN_KEY_SRC" "$LAN_KEY_PATH"; then
      fail "${LAN_KEY_PATH} holds another key than ${LAN_KEY_SRC}: the gateways of one store need the same key; remove ${LAN_KEY_PATH} first to replace it"
    elif [ -z "$ROOT" ] && [ "$(owner_mode "$LAN_KEY_PATH")" != "${SERVICE_USER}:${SERVICE_USER} 600" ]; then
      change "set ${LAN_KEY_PATH} to ${SERVICE_USER}, 0600 (was $(owner_mode "$LAN_KEY_PATH"))" \
        set_owner_mode "${SERVICE_USER}:${SERVICE_USER}" 0600 "$LAN_KEY_PATH"
    else
      ok "keep ${LAN_KEY_PATH} (never overwritten)"
    fi
  elif [ -n "$LAN_KEY_SRC" ]; then
    if [ ! -f "$LAN_KEY_SRC" ]; then
      fail "--lan-key ${LAN_KEY_SRC}: no such file"
    elif [ ! -r "$LAN_KEY_SRC" ]; then
      fail "--lan-key ${LAN_KEY_SRC}: not readable by $(id -un)"
    else
      key_bytes="$(tr -d '[:space:]' <"$LAN_KEY_SRC" | wc -c)"
      if [ "$key_bytes" -lt "$LAN_KEY_MIN_BYTES" ]; then
        fail "--lan-key ${LAN_KEY_SRC} holds ${key_bytes} bytes of key; at least ${LAN_KEY_MIN_BYTES} are needed (openssl rand -hex 32 > FILE)"
      else
        change "install the store LAN key as ${LAN_KEY_PATH} (${SERVICE_USER}, 0600)" \
          install -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0600 "$LAN_KEY_SRC" "$LAN_KEY_PATH"
        RESTART_NEEDED=1
      fi
    fi
  else
    change "create a new store LAN key as ${LAN_KEY_PATH} (${SERVICE_USER}, 0600): copy that file to every other gateway of the store and pass it with --lan-key" \
      new_lan_key "$LAN_KEY_PATH"
    RESTART_NEEDED=1
  fi
fi
if [ "$FAILED" -eq 0 ] && [ "$CONFIG_IS_EXAMPLE" -eq 0 ]; then
  # Validate before the service is (re)started with it; in a dry run, the file that would be used.
  check_file="$CONFIG_PATH"
  [ -f "$CONFIG_PATH" ] || check_file="$CONFIG_SRC"
  main_js="${OPT_DIR}/current/dist/gateway/src/main.js"
  [ -f "$main_js" ] || main_js="$APP_SRC/dist/gateway/src/main.js"
  if [ -f "$main_js" ] && [ -d "${main_js%/dist/gateway/src/main.js}/node_modules" ]; then
    if check_output="$("$NODE_BIN" "$main_js" check-config "$check_file" 2>&1)"; then
      ok "check-config ${check_file}"
    else
      fail "check-config ${check_file}:"$'\n'"${check_output}"
    fi
  else
    skip "check-config ${check_file} (runs once the app is installed)"
  fi
fi
stop_if_failed

section "systemd unit"
unit_text="$(rendered_unit)"
if [ -f "$UNIT_PATH" ] && [ "$(cat "$UNIT_PATH")" = "$unit_text" ]; then
  ok "${UNIT_PATH} up to date (ExecStart uses ${NODE_REAL})"
else
  change "install ${UNIT_PATH} (ExecStart uses ${NODE_REAL})" \
    write_file "$unit_text" "$UNIT_PATH" 0644
  RESTART_NEEDED=1
  DAEMON_RELOAD=1
fi
# The updater: a path unit that starts a root-owned oneshot when the gateway asks for an update
# (install-release.sh take-request). Installed as they come; nothing in them depends on this machine.
for updater in "${SERVICE}-update.service" "${SERVICE}-update.path"; do
  updater_path="${ROOT}/etc/systemd/system/${updater}"
  if [ -f "$updater_path" ] && cmp -s "$SCRIPT_DIR/$updater" "$updater_path"; then
    ok "${updater_path} up to date"
  else
    change "install ${updater_path}" install -D -m 0644 "$SCRIPT_DIR/$updater" "$updater_path"
    DAEMON_RELOAD=1
  fi
done
if [ "$DAEMON_RELOAD" -eq 1 ] && [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then
  change "systemctl daemon-reload" systemctl daemon-reload
fi

section "service"
if [ -n "$ROOT" ]; then
  skip "systemctl enable --now ${SERVICE} (runs on the target, not under --root)"
elif [ ! -d /run/systemd/system ]; then
  skip "systemd is not running on this machine: enable and start ${SERVICE} where it is"
else
  if systemctl is-enabled --quiet "$SERVICE" 2>/dev/null; then
    ok "${SERVICE} enabled at boot"
  else
    change "systemctl enable ${SERVICE}" systemctl enable "$SERVICE"
  fi
  if [ "$START" -eq 0 ]; then
    skip "start ${SERVICE} (--no-start)"
  elif [ "$CONFIG_IS_EXAMPLE" -eq 1 ]; then
    skip "start ${SERVICE}: edit ${CONFIG_PATH} first, then: sudo systemctl start ${SERVICE}"
  elif ! systemctl is-active --quiet "$SERVICE"; then
    change "systemctl start ${SERVICE}" systemctl start "$SERVICE"
  elif [ "$RESTART_NEEDED" -eq 1 ]; then
    change "systemctl restart ${SERVICE} (new release or unit)" systemctl restart "$SERVICE"
  else
    ok "${SERVICE} running"
  fi
  if systemctl is-enabled --quiet "${SERVICE}-update.path" 2>/dev/null && systemctl is-active --quiet "${SERVICE}-update.path"; then
    ok "${SERVICE}-update.path watching for update requests"
  else
    change "systemctl enable --now ${SERVICE}-update.path" systemctl enable --now "${SERVICE}-update.path"
  fi
fi

if [ "$FAILED" -eq 1 ]; then
  printf 'dry run: fix the FAIL lines above; %d other change(s) planned, nothing changed\n' "$CHANGES"
  exit 1
elif [ "$DRY_RUN" -eq 1 ]; then
  printf 'dry run: %d change(s) planned, nothing changed\n' "$CHANGES"
else
  printf 'done: %d change(s); check with: sudo -u %s %s doctor\n' "$CHANGES" "$SERVICE_USER" "$SERVICE"
fi
