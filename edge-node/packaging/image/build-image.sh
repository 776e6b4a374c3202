#!/usr/bin/env bash
# Builds the edge disk image for installers: Debian bookworm (amd64) with the simtestlab-edge .deb,
# as a raw GPT disk that boots on UEFI PCs, plus a zstd-compressed copy and SHA-256 sums.
# Needs root and: debootstrap, e2fsprogs, dosfstools, mtools, fdisk, grub-efi-amd64-bin, zstd.
# Docs: docs/edge-image.md.
set -euo pipefail

IMAGE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$IMAGE_DIR/../../.." && pwd)"
# shellcheck source=lib/apt-sources.sh
. "$IMAGE_DIR/lib/apt-sources.sh"
# shellcheck source=lib/rootfs.sh
. "$IMAGE_DIR/lib/rootfs.sh"
# shellcheck source=lib/disk.sh
. "$IMAGE_DIR/lib/disk.sh"

usage() {
  cat <<EOF
Usage: build-image.sh [options]

  --deb FILE      edge package to install (default: the newest dist/edge/simtestlab-edge_*_amd64.deb)
  --out DIR       where the image, its .zst and .sha256 go (default: dist/edge)
  --work DIR      scratch folder for the root tree and partition files, emptied first
                  (default: dist/edge/image-work; the downloaded .debs stay in DIR/debs)
  --mirror URL    Debian mirror to build from (default: the one this machine's apt uses for bookworm)
  --keep-work     keep the root tree and partition files after the build, for inspection
  -h, --help      show this help
EOF
}

fail() {
  echo "build-image: $*" >&2
  exit 1
}

step_started=0
step() {
  local now
  now="$(date +%s)"
  [ "$step_started" -gt 0 ] && echo "build-image:   took $(( now - step_started )) s"
  step_started="$now"
  [ $# -gt 0 ] && echo "build-image: $*"
  return 0
}

deb=""
out_dir="$REPO_DIR/dist/edge"
work_dir=""
mirror=""
keep_work=no
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb="${2:?--deb needs a file}"; shift 2 ;;
    --out) out_dir="${2:?--out needs a folder}"; shift 2 ;;
    --work) work_dir="${2:?--work needs a folder}"; shift 2 ;;
    --mirror) mirror="${2:?--mirror needs a URL}"; shift 2 ;;
    --keep-work) keep_work=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option '$1'" ;;
  esac
done
work_dir="${work_dir:-$out_dir/image-work}"

[ "$(id -u)" = 0 ] || fail "must run as root: debootstrap, chroot and file ownership in the image need it"
for tool in debootstrap mkfs.ext4 mkfs.fat mmd mcopy sfdisk grub-mkstandalone dpkg-deb zstd sha256sum; do
  command -v "$tool" >/dev/null \
    || fail "'$tool' not found: install the Debian packages debootstrap e2fsprogs dosfstools mtools fdisk grub-efi-amd64-bin zstd"
done

if [ -z "$deb" ]; then
  deb="$(ls -t "$REPO_DIR"/dist/edge/simtestlab-edge_*_amd64.deb 2>/dev/null | head -n1 || true)"
  [ -n "$deb" ] || fail "no dist/edge/simtestlab-edge_*_amd64.deb: run 'pnpm build:edge' first, or pass --deb FILE"
fi
[ -f "$deb" ] || fail "--deb '$deb' is not a file"
[ "$(dpkg-deb --field "$deb" Architecture)" = amd64 ] || fail "'$deb' is not an amd64 package"
# The file name carries the upstream version: the Debian epoch and revision are dropped.
version="$(dpkg-deb --field "$deb" Version | sed -E 's/^[0-9]+://; s/-[^-]+$//')"

if [ -z "$mirror" ]; then
  mirror="$(find_host_mirror bookworm)"
  [ -n "$mirror" ] || fail "this machine's apt has no 'bookworm' source: pass --mirror URL"
fi
security_mirror="$(find_host_mirror bookworm-security)"

image="$out_dir/simtestlab-edge-$version-amd64.img"
root_tree="$work_dir/rootfs"
echo "build-image: $deb -> $image (mirror $mirror)"
started="$(date +%s)"

step "cleaning $work_dir"
remove_tree "$root_tree"
rm -f "$work_dir"/*.ext4 "$work_dir"/*.fat "$work_dir"/*.efi "$work_dir/disk.img"
mkdir -p "$work_dir" "$out_dir"
# On exit, after a failure too, unmount whatever debootstrap left mounted under the work folder.
trap 'unmount_below "$work_dir"' EXIT

step "debootstrap bookworm (minbase + the package's Depends)"
bootstrap_rootfs "$root_tree" "$mirror" "$(read_package_depends "$deb")" "$work_dir/debs"

step "installing the updates from bookworm-updates and bookworm-security, and the kernel"
write_apt_sources "$root_tree" "$mirror" "$security_mirror"
update_rootfs "$root_tree"

step "installing $(basename "$deb") and configuring the node"
root_partuuid="$(new_uuid)"
fs_uuid="$(new_uuid)"
install_edge_package "$root_tree" "$deb"
configure_rootfs "$root_tree" "$root_partuuid"
[ -e "$root_tree/vmlinuz" ] && [ -e "$root_tree/initrd.img" ] \
  || fail "the root tree has no /vmlinuz or /initrd.img link: did linux-image-amd64 install?"

step "building the partitions and the disk"
make_root_fs "$root_tree" "$work_dir/root.ext4" "$(root_size_mib "$root_tree")" "$fs_uuid"
make_grub_efi "$work_dir/bootx64.efi" "$fs_uuid" "$root_partuuid"
make_esp "$work_dir/esp.fat" "$work_dir/bootx64.efi"
# The disk is assembled in the work folder and moved into place last, so an interrupted build leaves
# no image behind that looks complete.
assemble_disk "$work_dir/disk.img" "$work_dir/esp.fat" "$work_dir/root.ext4" "$root_partuuid"

step "compressing"
zstd --quiet --force -T0 -10 "$work_dir/disk.img" -o "$image.zst"
mv -f "$work_dir/disk.img" "$image"
(cd "$out_dir" && sha256sum "$(basename "$image")" "$(basename "$image").zst" > "$(basename "$image").sha256")

if [ "$keep_work" = no ]; then
  remove_tree "$root_tree"
  rm -f "$work_dir"/*.ext4 "$work_dir"/*.fat "$work_dir"/*.efi
fi
step
echo "build-image: done in $(( $(date +%s) - started )) s"
echo "build-image: $(basename "$image"): $(du --apparent-size --block-size=1M "$image" | cut -f1) MiB" \
  "($(du --block-size=1M "$image" | cut -f1) MiB allocated), .zst: $(du --block-size=1M "$image.zst" | cut -f1) MiB"
