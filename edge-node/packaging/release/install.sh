#!/bin/sh
# Installs the release in this folder on a systemd machine without dpkg: the system user, the release
# under /opt/simtestlab-edge/releases/<version>, the config and data folders, the systemd units and
# the symlinks, then starts the service. Run it as root; running it again repairs or reinstalls.
# NOTE: the tests only syntax-check this script (sh -n); no test runs it on a systemd machine yet.
set -eu

src=$(cd -P -- "$(dirname -- "$0")" && pwd)
version=$(cat "$src/VERSION")
root=/opt/simtestlab-edge
account=simtestlab-edge
config=/etc/simtestlab-edge
release="$root/releases/$version"

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root, for example: sudo sh $0" >&2
  exit 1
fi
if [ ! -d /run/systemd/system ]; then
  echo "install.sh: systemd is not running on this machine; the edge node needs it to run as a service" >&2
  exit 1
fi

getent group "$account" >/dev/null || groupadd --system "$account"
getent passwd "$account" >/dev/null || useradd --system --gid "$account" --home-dir /var/lib/simtestlab-edge \
  --no-create-home --shell /usr/sbin/nologin --comment 'SimTestLab EMS edge node' "$account"
if getent group dialout >/dev/null; then usermod --append --groups dialout "$account"; fi

# Copy next to the target and rename, so a release folder is never half written.
if [ "$src" != "$release" ]; then
  mkdir -p "$root/releases"
  rm -rf "$release.new" "$release.old"
  cp -a "$src" "$release.new"
  rm -f "$release.new/install.sh"
  if [ -e "$release" ]; then mv "$release" "$release.old"; fi
  mv "$release.new" "$release"
  rm -rf "$release.old"
fi

# Setup mode writes site.yaml here as the service user; the sticky bit protects root's files.
install -d -o root -g "$account" -m 1770 "$config"
install -d -m 0755 "$config/release-keys"
for key in "$release"/share/release-keys/*.pub; do
  [ -e "$config/release-keys/${key##*/}" ] || install -m 0644 "$key" "$config/release-keys/"
done
[ -e "$config/edge.env" ] || install -m 0644 "$release/share/edge.env" "$config/edge.env"
install -d -o "$account" -g "$account" -m 0750 /var/lib/simtestlab-edge

ln -sfn "$release" "$root/current.new"
mv -T "$root/current.new" "$root/current"
ln -sfn "$root/current/bin/simtestlab-edge" /usr/bin/simtestlab-edge

units=''
for unit in "$release"/share/systemd/*; do
  install -m 0644 "$unit" /etc/systemd/system/
  if grep -q '^\[Install\]' "$unit"; then units="$units ${unit##*/}"; fi
done
systemctl daemon-reload
# shellcheck disable=SC2086 # one word per unit
systemctl enable $units
# shellcheck disable=SC2086
systemctl restart $units

echo "simtestlab-edge $version is installed and running (systemctl status simtestlab-edge)."
if [ ! -e "$config/site.yaml" ]; then
  echo "It has no site file yet: open http://<address of this machine>:8080/setup and enter the setup code"
  echo "that 'journalctl -u simtestlab-edge' shows (also in /var/lib/simtestlab-edge/setup-code)."
fi
