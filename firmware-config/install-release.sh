#!/usr/bin/env bash
# Verifies, installs, switches, rolls back and prunes Arrival gateway releases on this machine.
# provision.sh installs with it; a fleet update runs `update`, which also restarts the service,
# checks its health and rolls back by itself.
#
#   install-release.sh verify  TARBALL [--checksum FILE] [--signature FILE] [--public-key FILE]
#   install-release.sh install TARBALL [--prefix DIR]          prints the release's name
#   install-release.sh switch  NAME    [--prefix DIR]
#   install-release.sh rollback        [--prefix DIR] [--reason TEXT]
#   install-release.sh prune           [--prefix DIR]
#   install-release.sh update  TARBALL [verify and prefix options] [--restart CMD] [--health CMD]
#                                      [--health-timeout S] [--report FILE]
#                                      (report default /var/lib/arrival-gateway/update-report.json)
#   install-release.sh status          [--prefix DIR]
#   install-release.sh take-request DIR [update options]
#                                      an update the gateway asked for: DIR/request names
#                                      DIR/release.tgz (+ .sha256, .sig); run by
#                                      arrival-gateway-update.service as root
#
# Layout under PREFIX (default /opt/arrival-gateway):
#   releases/VERSION-HASH   one release: the tarball's package/ with node_modules from `npm ci`;
#                           HASH is the first 12 hex digits of the tarball's SHA-256, so a second
#                           build of one version is a release of its own and never replaces the
#                           running one
#   current -> releases/…   what the service runs (switched atomically with rename(2))
#   previous -> releases/…  what ran before: `rollback` goes back to it
# Two releases are kept (current and previous); `prune` deletes the others.
#
# Exit codes: 0 done, 1 failed (nothing switched, or switched back), 2 usage.
set -euo pipefail

PREFIX=/opt/arrival-gateway
PUBLIC_KEY=/etc/arrival-gateway/release-signing.pub
CHECKSUM=""
SIGNATURE=""
RESTART_CMD="systemctl restart arrival-gateway"
HEALTH_CMD="/usr/local/bin/arrival-gateway health --config /etc/arrival-gateway/gateway.json"
HEALTH_TIMEOUT_S=120
# Where the gateway reads the last update's outcome (it repeats it in its status); used when that
# directory exists and --report names no other file.
REPORT_DEFAULT=/var/lib/arrival-gateway/update-report.json
REPORT=""
REASON="asked for"
NPM="${NPM:-npm}"

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; }
die() {
  printf 'install-release: %s\n' "$1" >&2
  exit "${2:-1}"
}

command="${1:-}"
[ -n "$command" ] || { usage >&2; exit 2; }
shift
ARG=""
case "$command" in
  verify | install | switch | update | take-request)
    ARG="${1:-}"
    if [ -z "$ARG" ] || [ "${ARG#-}" != "$ARG" ]; then
      case "$command" in
        switch) die "switch needs a NAME" 2 ;;
        take-request) die "take-request needs a DIR" 2 ;;
        *) die "$command needs a TARBALL" 2 ;;
      esac
    fi
    shift
    ;;
  rollback | prune | status) ;;
  -h | --help | help) usage; exit 0 ;;
  *) die "unknown command ${command} (verify, install, switch, rollback, prune, update, status, take-request)" 2 ;;
esac
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a DIR}"; shift ;;
    --checksum) CHECKSUM="${2:?--checksum needs a FILE}"; shift ;;
    --signature) SIGNATURE="${2:?--signature needs a FILE}"; shift ;;
    --public-key) PUBLIC_KEY="${2:?--public-key needs a FILE}"; shift ;;
    --restart) RESTART_CMD="${2:?--restart needs a COMMAND}"; shift ;;
    --health) HEALTH_CMD="${2:?--health needs a COMMAND}"; shift ;;
    --health-timeout) HEALTH_TIMEOUT_S="${2:?--health-timeout needs SECONDS}"; shift ;;
    --report) REPORT="${2:?--report needs a FILE}"; shift ;;
    --reason) REASON="${2:?--reason needs TEXT}"; shift ;;
    *) die "unknown option $1" 2 ;;
  esac
  shift
done
[[ "$HEALTH_TIMEOUT_S" =~ ^[0-9]+$ ]] || die "--health-timeout must be whole seconds" 2
if [ -z "$REPORT" ] && [ -d "$(dirname "$REPORT_DEFAULT")" ]; then REPORT="$REPORT_DEFAULT"; fi

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Ed25519 over the checksum file (which names the tarball's SHA-256): openssl 3 when it is there,
# else node (both are on every gateway; ARRIVAL_VERIFY_WITH forces one, for tests).
signature_valid() {
  local data="$1" sig="$2" key="$3" with="${ARRIVAL_VERIFY_WITH:-}"
  if [ -z "$with" ]; then
    if command -v openssl >/dev/null 2>&1 && [ "$(openssl version | sed -n 's/^OpenSSL \([0-9]*\).*/\1/p')" -ge 3 ] 2>/dev/null; then
      with=openssl
    else
      with=node
    fi
  fi
  case "$with" in
    openssl) openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$data" -sigfile "$sig" >/dev/null 2>&1 ;;
    node)
      node -e '
        const { readFileSync } = require("node:fs");
        const { createPublicKey, verify } = require("node:crypto");
        const [data, sig, key] = process.argv.slice(1);
        process.exit(verify(null, readFileSync(data), createPublicKey(readFileSync(key)), readFileSync(sig)) ? 0 : 1);
      ' "$data" "$sig" "$key" 2>/dev/null
      ;;
    *) die "ARRIVAL_VERIFY_WITH must be openssl or node" 2 ;;
  esac
}

# Refuses a tarball unless its checksum file is signed by the operator's key and names its SHA-256.
verify_release() {
  local tarball="$1" checksum="${CHECKSUM:-$1.sha256}" signature="${SIGNATURE:-$1.sig}"
  [ -f "$tarball" ] || die "no release ${tarball}"
  [ -f "$checksum" ] || die "no checksum ${checksum} next to ${tarball} (npm run release writes it)"
  [ -f "$signature" ] || die "no signature ${signature} next to ${tarball} (npm run release writes it)"
  [ -f "$PUBLIC_KEY" ] || die "no release public key ${PUBLIC_KEY}: install the operator's key (release-signing.pub) there"
  signature_valid "$checksum" "$signature" "$PUBLIC_KEY" ||
    die "the signature ${signature} does not match ${checksum} with the key ${PUBLIC_KEY}: not installing"
  local expected actual
  expected="$(awk 'NR == 1 { print $1 }' "$checksum")"
  actual="$(sha256_of "$tarball")"
  [ "$expected" = "$actual" ] ||
    die "${tarball} has SHA-256 ${actual}, its signed checksum says ${expected}: corrupt or replaced, not installing"
}

# VERSION-HASH of a tarball, from its package.json and its SHA-256.
release_name() {
  local tarball="$1" version
  version="$(tar -xzOf "$tarball" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).version ?? ""')"
  [[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]] || die "${tarball}: its package.json has no usable version (${version:-none})"
  printf '%s-%s' "$version" "$(sha256_of "$tarball" | cut -c1-12)"
}

target_of() { { readlink "${PREFIX}/$1" 2>/dev/null || true; } | sed -n 's#^releases/##p'; }

# Points LINK at releases/NAME with one rename(2), so no reader ever sees it missing.
point() {
  local link="$1" name="$2"
  ln -sfn "releases/${name}" "${PREFIX}/.${link}.new"
  mv -Tf "${PREFIX}/.${link}.new" "${PREFIX}/${link}"
}

install_release() {
  local tarball="$1" name dir
  name="$(release_name "$tarball")"
  dir="${PREFIX}/releases/${name}"
  if [ -f "${dir}/.source-sha256" ] && [ "$(cat "${dir}/.source-sha256")" = "$(sha256_of "$tarball")" ]; then
    printf '%s\n' "$name"
    return
  fi
  tar -tzf "$tarball" package/npm-shrinkwrap.json >/dev/null 2>&1 ||
    die "${tarball} is not a pinned release: it has no npm-shrinkwrap.json (build it with npm run release)"
  # The name holds the content hash: a directory of this name that is current is this very build,
  # complete (only complete installs are switched to); anything else of the name is a broken attempt.
  [ "$(target_of current)" != "$name" ] || die "${dir} is running but incomplete; not touching it"
  mkdir -p "${PREFIX}/releases"
  rm -rf "${dir}.partial"
  mkdir -p "${dir}.partial"
  tar -xzf "$tarball" -C "${dir}.partial" --strip-components=1
  # Exactly the versions in npm-shrinkwrap.json, on every gateway: npm ci, not npm install.
  (cd "${dir}.partial" && "$NPM" ci --omit=dev --include=optional --no-audit --no-fund >&2) ||
    { rm -rf "${dir}.partial"; die "npm ci failed for ${name}; nothing switched"; }
  sha256_of "$tarball" >"${dir}.partial/.source-sha256"
  if [ "$(id -u)" -eq 0 ]; then chown -R root:root "${dir}.partial"; fi
  rm -rf "$dir"
  mv "${dir}.partial" "$dir"
  printf '%s\n' "$name"
}

switch_to() {
  local name="$1" current
  if [ ! -f "${PREFIX}/releases/${name}/.source-sha256" ]; then
    die "no installed release ${name} under ${PREFIX}/releases"
  fi
  current="$(target_of current)"
  [ "$current" != "$name" ] || return 0
  if [ -n "$current" ]; then point previous "$current"; fi
  point current "$name"
}

rollback() {
  local current previous
  current="$(target_of current)"
  previous="$(target_of previous)"
  if [ -z "$previous" ] || [ ! -d "${PREFIX}/releases/${previous}" ]; then die "no previous release to go back to"; fi
  point current "$previous"
  # The failed one stays as `previous` (kept for a look, pruned by the next good update), marked so
  # that nobody installs it again without meaning to.
  if [ -n "$current" ]; then
    point previous "$current"
    printf '%s\n' "$REASON" >"${PREFIX}/releases/${current}/.failed"
  fi
}

prune() {
  local current previous dir name
  current="$(target_of current)"
  previous="$(target_of previous)"
  for dir in "${PREFIX}"/releases/*; do
    [ -e "$dir" ] || continue
    name="${dir##*/}"
    if [ "$name" = "$current" ] || [ "$name" = "$previous" ]; then continue; fi
    rm -rf "$dir"
    printf 'pruned %s\n' "$name" >&2
  done
}

status() {
  printf '{"current":"%s","previous":"%s"}\n' "$(target_of current)" "$(target_of previous)"
}

# The outcome of an update as JSON, for the gateway to report (REPORT) and for the log.
report() {
  local outcome="$1" from="$2" to="$3" reason="$4" line
  line="$(node -e 'console.log(JSON.stringify({ outcome: process.argv[1], from: process.argv[2] || null, to: process.argv[3] || null, reason: process.argv[4] || null, at: new Date().toISOString() }))' \
    "$outcome" "$from" "$to" "$reason")"
  printf '%s\n' "$line"
  if [ -n "$REPORT" ]; then
    mkdir -p "$(dirname "$REPORT")"
    printf '%s\n' "$line" >"${REPORT}.tmp" && mv -f "${REPORT}.tmp" "$REPORT"
  fi
}

# Polls the health command until it succeeds or the bound passes.
healthy_within() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT_S))
  while :; do
    if bash -c "$HEALTH_CMD" >/dev/null 2>&1 9>&-; then return 0; fi
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 2
  done
}

update() {
  local tarball="$1" from name err
  from="$(target_of current)"
  # Refusals are reported too, so the fleet view says why a gateway did not take a release.
  if ! err="$( (verify_release "$tarball") 2>&1 >/dev/null)"; then
    report refused "$from" "" "${err#install-release: }"
    return 1
  fi
  if ! name="$(install_release "$tarball" 2>"${PREFIX}/.install.log")"; then
    report failed "$from" "" "$(tail -n 1 "${PREFIX}/.install.log" | sed 's/^install-release: //')"
    return 1
  fi
  if [ "$name" = "$from" ]; then
    report unchanged "$from" "$name" ""
    return 0
  fi
  if [ -f "${PREFIX}/releases/${name}/.failed" ] && [ "${ARRIVAL_RETRY_FAILED:-0}" != 1 ]; then
    report refused "$from" "$name" "${name} failed here before ($(cat "${PREFIX}/releases/${name}/.failed")); set ARRIVAL_RETRY_FAILED=1 to try it again"
    return 1
  fi
  rm -f "${PREFIX}/releases/${name}/.failed"
  switch_to "$name"
  # 9>&-: the lock stays with this script. A restart command that starts the gateway itself (not
  # through systemd) would otherwise hand the lock to the gateway, and every later update would
  # wait for it for ever.
  if ! bash -c "$RESTART_CMD" >&2 9>&-; then
    REASON="restart of ${name} failed"
  elif healthy_within; then
    prune
    report updated "$from" "$name" ""
    return 0
  else
    REASON="${name} not healthy within ${HEALTH_TIMEOUT_S} s"
  fi
  if [ -z "$from" ]; then
    report failed "" "$name" "${REASON}; no earlier release to go back to"
    return 1
  fi
  rollback
  bash -c "$RESTART_CMD" >&2 9>&- || true
  report rolled-back "$from" "$name" "$REASON"
  return 1
}

# The gateway runs unprivileged: it downloads a release into DIR and asks for it with DIR/request
# (the systemd path unit starts this as root). The request is taken first, so a failing update is
# not retried in a loop; the download is removed afterwards whatever the outcome. Trust comes from
# the signature checked with the root-owned key, not from who wrote the files.
take_request() {
  local dir="$1" status=0
  [ -f "${dir}/request" ] || return 0
  rm -f "${dir}/request"
  CHECKSUM="${dir}/release.tgz.sha256"
  SIGNATURE="${dir}/release.tgz.sig"
  update "${dir}/release.tgz" || status=$?
  rm -f "${dir}/release.tgz" "${dir}/release.tgz.sha256" "${dir}/release.tgz.sig"
  return "$status"
}

# One change at a time under PREFIX: a second update waits for the first. (verify changes nothing.)
if [ "$command" != verify ]; then
  mkdir -p "$PREFIX"
  exec 9>"${PREFIX}/.lock"
  flock 9
fi

case "$command" in
  verify) verify_release "$ARG" && printf 'verified %s\n' "$ARG" ;;
  install) install_release "$ARG" ;;
  switch) switch_to "$ARG" ;;
  rollback) rollback ;;
  prune) prune ;;
  update) update "$ARG" ;;
  status) status ;;
  take-request) take_request "$ARG" ;;
esac
