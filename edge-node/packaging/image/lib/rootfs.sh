# Builds and configures the image's root file system tree with debootstrap. Sourced by
# build-image.sh, which sets IMAGE_DIR (this folder's parent).

# Debian packages every node gets on top of variant minbase. openssh-server is included with key
# login only (see rootfs/etc/ssh), so an installer can reach a node remotely once a key is placed.
# The kernel is not in this list: update_rootfs installs it once the update suites are known, so a
# kernel security update does not build a second initramfs for a kernel that gets replaced.
readonly BASE_PACKAGES=(
  systemd-sysv udev dbus systemd-resolved systemd-timesyncd
  initramfs-tools
  # initramfs-tools compresses with zstd when it is installed, else with the slower gzip.
  zstd
  iproute2 ca-certificates openssh-server
  procps less
)

# Prints the package names of the .deb's Depends field, comma-separated: version constraints are
# dropped and of "a | b" alternatives the first is taken, as debootstrap --include takes names only.
read_package_depends() {
  local deb="$1"
  dpkg-deb --field "$deb" Depends \
    | tr ',' '\n' \
    | sed -E 's/\|.*//; s/\(.*\)//; s/:any//; s/[[:space:]]//g' \
    | grep -v '^$' \
    | paste -sd, -
}

# Unmounts whatever is still mounted below DIR, deepest first. debootstrap mounts /proc and /sys,
# and inside a container it bind-mounts the host's /dev, and a failed run can leave them behind.
unmount_below() {
  local dir
  dir="$(realpath "$1")"
  awk -v dir="$dir" '$2 == dir || index($2, dir "/") == 1 { print $2 }' /proc/self/mounts \
    | sort -r \
    | while read -r mount_point; do
        umount "$mount_point" || umount --lazy "$mount_point"
      done
}

# Deletes DIR after unmounting what is below it. --one-file-system keeps rm out of any mount that
# is still there, so a bind-mounted host /dev can never be emptied.
remove_tree() {
  local dir="$1"
  [ -e "$dir" ] || return 0
  unmount_below "$dir"
  rm -rf --one-file-system "$dir"
}

# Runs debootstrap for Debian bookworm, amd64, variant minbase, into ROOT from MIRROR, adding
# BASE_PACKAGES and the comma-separated EXTRA_PACKAGES. Downloaded .debs are kept in CACHE_DIR so a
# rebuild downloads only what changed.
bootstrap_rootfs() {
  local root="$1" mirror="$2" extra_packages="$3" cache_dir="$4"
  local include
  include="$(IFS=,; echo "${BASE_PACKAGES[*]}")"
  [ -n "$extra_packages" ] && include="$include,$extra_packages"

  mkdir -p "$cache_dir"
  debootstrap --arch=amd64 --variant=minbase --merged-usr \
    --include="$include" --cache-dir="$(realpath "$cache_dir")" \
    bookworm "$root" "$mirror"
  unmount_below "$root"
}

# Writes the image's apt sources: the mirror the image was built from for bookworm and
# bookworm-updates, and SECURITY_MIRROR (if any) for bookworm-security.
write_apt_sources() {
  local root="$1" mirror="$2" security_mirror="$3"
  rm -f "$root/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\n' "$mirror"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    if [ -n "$security_mirror" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: bookworm-security\nComponents: main\n' "$security_mirror"
      printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    fi
  } > "$root/etc/apt/sources.list.d/debian.sources"
}

# Keeps package scripts from starting services inside the chroot (policy-rc.d exit code 101).
block_service_starts() {
  local policy="$1/usr/sbin/policy-rc.d"
  printf '#!/bin/sh\n# Set while the image is built: start no service in the chroot.\nexit 101\n' > "$policy"
  chmod 755 "$policy"
}

allow_service_starts() {
  rm -f "$1/usr/sbin/policy-rc.d"
}

# Installs the updates from bookworm-updates and bookworm-security (the sources write_apt_sources
# wrote), which debootstrap leaves out because it reads one suite, then the newest kernel
# (linux-image-amd64) from all of them. The image's /etc/resolv.conf links into /run, which is
# empty in the chroot, so the host's resolv.conf replaces it while apt downloads.
update_rootfs() {
  local root="$1"
  local resolv="$root/etc/resolv.conf" resolv_link
  resolv_link="$(readlink "$resolv" || true)"
  rm -f "$resolv"
  cp /etc/resolv.conf "$resolv"

  block_service_starts "$root"
  chroot "$root" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get upgrade -y -qq -o Dpkg::Options::=--force-confold
  DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends linux-image-amd64
  chroot "$root" apt-get clean
  allow_service_starts "$root"

  rm -f "$resolv"
  if [ -n "$resolv_link" ]; then ln -s "$resolv_link" "$resolv"; fi
}

# Installs the edge .deb into ROOT (its Depends are already there from bootstrap_rootfs) with
# services kept from starting inside the chroot, then enables the units a node runs.
install_edge_package() {
  local root="$1" deb="$2"

  block_service_starts "$root"
  cp "$deb" "$root/tmp/simtestlab-edge.deb"
  chroot "$root" dpkg --install /tmp/simtestlab-edge.deb
  rm -f "$root/tmp/simtestlab-edge.deb"
  allow_service_starts "$root"

  chroot "$root" systemctl enable simtestlab-edge.service systemd-networkd.service \
    systemd-resolved.service ssh.service
}

# Applies the node's configuration to ROOT: the files under rootfs/, the root partition's fstab
# entry, a locked root account, and the per-machine state emptied so each node creates its own.
configure_rootfs() {
  local root="$1" root_partuuid="$2"

  cp -a "$IMAGE_DIR/rootfs/." "$root/"
  printf 'PARTUUID=%s / ext4 defaults,errors=remount-ro,x-systemd.growfs 0 1\n' "$root_partuuid" \
    > "$root/etc/fstab"

  # systemd-firstboot would wait on the console for a locale, time zone and root password at the
  # first boot, but a node must come up without anyone at the keyboard.
  ln -sf /dev/null "$root/etc/systemd/system/systemd-firstboot.service"
  chroot "$root" passwd --lock root

  # "uninitialized" (machine-id(5)) makes the first boot of each node a real first boot: systemd
  # creates the node's own machine-id then, and units with ConditionFirstBoot=yes run. An empty file
  # would also get a new id, but would not count as a first boot.
  echo uninitialized > "$root/etc/machine-id"
  rm -f "$root/var/lib/dbus/machine-id" "$root/var/lib/systemd/random-seed" \
    "$root"/etc/ssh/ssh_host_*
  mkdir -p "$root/var/log/journal"

  # The build machine's resolver settings: debootstrap copied its resolv.conf, which the
  # systemd-resolved package then kept as a backup before linking resolv.conf into /run.
  rm -f "$root/etc/.resolv.conf.systemd-resolved.bak" "$root"/etc/resolv.conf.*
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
    "$root"/var/cache/debconf/*-old "$root"/var/log/*.log "$root"/tmp/* "$root"/debootstrap
}
