#!/bin/sh
# Installs the release in this folder on a systemd machine without dpkg: the system user, the release
# under /opt/simtestlab-edge/releases/<version>, the config and data folders, the systemd units and
# the symlinks, then starts the service. Run it as root; running it again repairs or reinstalls.
# An active release newer than this one stays active, as with the .deb package.
# DESTDIR=/some/folder installs the files below that folder instead of / and stops there: no system
# user, no systemctl, and root owns the folders the service user would own (the tests use this).
set -eu
umask 022

src=$(cd -P -- "$(dirname -- "$0")" && pwd)
version=$(head -n 1 "$src/VERSION")
destdir=${DESTDIR:-}
root=/opt/simtestlab-edge
account=simtestlab-edge
config=/etc/simtestlab-edge
release="$root/releases/$version"
target="$destdir$release"

# True when version $1 is newer than version $2. A SemVer pre-release "-" becomes "~", which sorts
# before the release it precedes, as the .deb package compares versions.
version_newer() {
  [ "$1" != "$2" ] || return 1
  newer=$(echo "$1" | sed 's/-/~/')
  older=$(echo "$2" | sed 's/-/~/')
  [ "$(printf '%s\n%s\n' "$older" "$newer" | sort -V | tail -n 1)" = "$newer" ]
}

# Points the symlink $1 (below DESTDIR) at $2 (a path on the installed system) by renaming a new
# symlink over it, so it never points at nothing.
point_at() {
  ln -sfn "$2" "$1.new"
  mv -T "$1.new" "$1"
}

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root, for example: sudo sh $0" >&2
  exit 1
fi
if [ -z "$destdir" ] && [ ! -d /run/systemd/system ]; then
  echo "install.sh: systemd is not running on this machine; the edge node needs it to run as a service" >&2
  exit 1
fi
# Another user who can write the unpacked files could change them while they are copied. The copy
# later runs as root, through the root update service, so such a source is rejected.
writable=$(find "$src" ! -type l -perm /022 -print | head -n 1)
if [ -n "$writable" ]; then
  echo "install.sh: $writable is writable by its group or by other users; unpack the tarball as root" >&2
  echo "(sudo tar -xzf ...) or run: sudo chmod -R go-w $src" >&2
  exit 1
fi

service=$account
if [ -z "$destdir" ]; then
  getent group "$account" >/dev/null || groupadd --system "$account"
  getent passwd "$account" >/dev/null || useradd --system --gid "$account" --home-dir /var/lib/simtestlab-edge \
    --no-create-home --shell /usr/sbin/nologin --comment 'SimTestLab EMS edge node' "$account"
  if getent group dialout >/dev/null; then usermod --append --groups dialout "$account"; fi
elif ! getent group "$account" >/dev/null; then
  service=root
fi

# The active release, read through the `current` symlink below DESTDIR.
active=''
active_dir=''
if [ -L "$destdir$root/current" ]; then
  link=$(readlink "$destdir$root/current")
  case $link in
    /*) active_dir=$destdir$link ;;
    *) active_dir=$destdir$root/$link ;;
  esac
  if [ -f "$active_dir/VERSION" ]; then active=$(head -n 1 "$active_dir/VERSION"); fi
fi

# The copy is built next to the target and renamed, so a release folder is never half written. It does
# not keep the unpacking user's ownership: root owns every file, and only root may write them, because
# the root update service runs runtime/node from here.
if [ "$src" != "$target" ]; then
  mkdir -p "$destdir$root/releases"
  # A reinstall that stopped half way may have left `current` on one of the temporary copies.
  if [ "$active_dir" = "$target.new" ] || [ "$active_dir" = "$target.old" ]; then
    if [ -f "$target/VERSION" ]; then point_at "$destdir$root/current" "$release"; fi
  fi
  rm -rf "$target.new" "$target.old"
  cp -RP "$src" "$target.new"
  rm -f "$target.new/install.sh"
  chown -R root:root "$target.new"
  chmod -R u=rwX,go=rX "$target.new"
  if [ -e "$target" ]; then
    # Reinstall of the same version: `current` points at a complete folder at every step.
    if [ "$active" = "$version" ]; then point_at "$destdir$root/current" "$release.new"; fi
    mv "$target" "$target.old"
    if [ "$active" = "$version" ]; then point_at "$destdir$root/current" "$release.old"; fi
  fi
  mv "$target.new" "$target"
  if [ "$active" = "$version" ]; then point_at "$destdir$root/current" "$release"; fi
  rm -rf "$target.old"
fi

# Setup mode writes site.yaml here as the service user; the sticky bit protects root's files.
install -d -o root -g "$service" -m 1770 "$destdir$config"
install -d -m 0755 "$destdir$config/release-keys"
for key in "$target"/share/release-keys/*.pub; do
  [ -e "$destdir$config/release-keys/${key##*/}" ] || install -m 0644 "$key" "$destdir$config/release-keys/"
done
[ -e "$destdir$config/edge.env" ] || install -m 0644 "$target/share/edge.env" "$destdir$config/edge.env"
install -d -o "$service" -g "$service" -m 0750 "$destdir/var/lib/simtestlab-edge"

if [ -n "$active" ] && [ -x "$active_dir/bin/simtestlab-edge" ] && version_newer "$active" "$version"; then
  echo "install.sh: keeping the active release $active, which is newer than $version (installed in $release)."
else
  point_at "$destdir$root/current" "$release"
  if [ -n "$active" ] && [ "$active" != "$version" ]; then
    echo "install.sh: switched the active release from $active to $version."
  fi
fi
mkdir -p "$destdir/usr/bin"
ln -sfn "$root/current/bin/simtestlab-edge" "$destdir/usr/bin/simtestlab-edge"

units=''
mkdir -p "$destdir/etc/systemd/system"
for unit in "$target"/share/systemd/*; do
  install -m 0644 "$unit" "$destdir/etc/systemd/system/"
  if grep -q '^\[Install\]' "$unit"; then units="$units ${unit##*/}"; fi
done
if [ -n "$destdir" ]; then
  echo "simtestlab-edge $version is installed below $destdir; enable the units there:$units"
  exit 0
fi
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
