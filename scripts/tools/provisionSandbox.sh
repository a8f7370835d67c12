#!/usr/bin/env bash
# Runs firmware-config/provision.sh for real, twice, in a throwaway copy of this machine's root: an
# overlay of / whose changes go to a tmpfs and vanish when the script ends (packages, the user,
# setcap, /etc, /opt). Then check-config and doctor as the service user. For checking a release's
# provisioning on a Debian machine without a spare Pi. Needs root (mount namespaces) and the
# network (apt, npm). Nothing outside the overlay changes; systemd steps are skipped in the chroot.
#
#   sudo scripts/tools/provisionSandbox.sh release/arrival-0.1.0.tgz release-signing.pub [gateway.json]
#
# The release is what `npm run release` writes: the tarball with its .sha256 and .sig beside it.
set -euo pipefail

if [ "${1:-}" = "" ] || [ ! -f "$1" ] || [ "${2:-}" = "" ] || [ ! -f "$2" ]; then
  echo "usage: provisionSandbox.sh RELEASE.tgz PUBLIC_KEY.pub [CONFIG.json]   (a release from npm run release)" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "needs root for the mount namespace" >&2
  exit 2
fi

tarball="$(readlink -f "$1")"
pubkey="$(readlink -f "$2")"
config="${3:-}"
[ -z "$config" ] || config="$(readlink -f "$config")"
work="$(mktemp -d /tmp/arrival-sandbox.XXXXXX)"

# Everything below runs in a private mount namespace: the overlay disappears with it.
status=0
unshare --mount --propagation private bash -s "$tarball" "$config" "$work" "$pubkey" <<'INNER' || status=$?
set -euo pipefail
tarball="$1" config="$2" work="$3" pubkey="$4"
mount -t tmpfs -o size=3g tmpfs "$work"
mkdir -p "$work/upper" "$work/work" "$work/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/work" "$work/root"
for fs in proc sys dev; do mount --rbind "/$fs" "$work/root/$fs"; done
cp /etc/resolv.conf "$work/root/etc/resolv.conf"
mkdir -p "$work/root/sandbox"
cp "$tarball" "$work/root/sandbox/release.tgz"
cp "$tarball.sha256" "$work/root/sandbox/release.tgz.sha256"
cp "$tarball.sig" "$work/root/sandbox/release.tgz.sig"
cp "$pubkey" "$work/root/sandbox/release-signing.pub"
tar -xzf "$tarball" -C "$work/root/sandbox"
if [ -n "$config" ]; then cp "$config" "$work/root/sandbox/gateway.json"; else
  cp "$work/root/sandbox/package/firmware-config/examples/one-gateway-shop.json" "$work/root/sandbox/gateway.json"
fi
printf 'sandbox-password\n' >"$work/root/sandbox/mqtt-password"
run() { chroot "$work/root" bash -c "$1"; }
provision='bash /sandbox/package/firmware-config/provision.sh --app /sandbox/release.tgz --public-key /sandbox/release-signing.pub --config /sandbox/gateway.json --password-file /sandbox/mqtt-password'
echo "=== first run"
run "$provision"
echo "=== second run (expect 0 changes)"
run "$provision"
echo "=== as the service user"
run 'setpriv --reuid=arrival-gateway --regid=arrival-gateway --init-groups arrival-gateway check-config /etc/arrival-gateway/gateway.json'
run 'setpriv --reuid=arrival-gateway --regid=arrival-gateway --init-groups arrival-gateway doctor --timeout 3' || true
umount -R "$work/root"
INNER
rmdir "$work"
exit "$status"
