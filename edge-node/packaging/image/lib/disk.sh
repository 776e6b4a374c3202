# Turns a root file system tree into a bootable GPT disk image without loop devices or mounts:
# each partition is built as a file (mkfs.ext4 -d, mkfs.fat + mtools) and copied into place with
# dd. Sourced by build-image.sh.

readonly SECTOR_BYTES=512
readonly ALIGN_SECTORS=2048 # 1 MiB: the first partition's start, and room for the backup GPT
readonly ESP_MIB=64
# GPT partition type GUIDs: EFI system partition, and the Discoverable Partitions Specification's
# "root (x86-64)" type, which systemd-repart matches in /etc/repart.d to grow the root partition.
readonly ESP_TYPE=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
readonly ROOT_TYPE=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709

new_uuid() { cat /proc/sys/kernel/random/uuid; }

# Prints the root partition size in MiB for TREE: its content plus 20 % and 256 MiB for the ext4
# metadata, journal and a first margin, rounded up to 64 MiB. The partition grows to the disk at
# first boot, so this only has to fit the content.
root_size_mib() {
  local tree="$1" used_mib
  used_mib="$(du -s --block-size=1M --one-file-system "$tree" | cut -f1)"
  echo $(( ((used_mib * 12 / 10 + 256 + 63) / 64) * 64 ))
}

# Writes FILE, an ext4 file system of SIZE_MIB holding TREE, with file system UUID FS_UUID.
make_root_fs() {
  local tree="$1" file="$2" size_mib="$3" fs_uuid="$4"
  rm -f "$file"
  truncate --size="${size_mib}M" "$file"
  mkfs.ext4 -q -F -L simtestlab-root -U "$fs_uuid" -d "$tree" "$file"
}

# Writes GRUB_EFI, a standalone GRUB for x86_64 UEFI with its config embedded, which finds the root
# file system by UUID. It boots Debian's /vmlinuz and /initrd.img links, which the kernel package
# points at the newest kernel on every kernel update.
make_grub_efi() {
  local grub_efi="$1" fs_uuid="$2" root_partuuid="$3"
  local config
  config="$(mktemp)"
  # The last console= is /dev/console, where systemd and the edge service print: the screen,
  # because installers look there. The serial port gets the kernel log and, through journald's
  # ForwardToConsole, the journal.
  cat > "$config" <<EOF
serial --unit=0 --speed=115200
terminal_input console serial
terminal_output console serial
set timeout=3
search --no-floppy --fs-uuid --set=root $fs_uuid
menuentry "SimTestLab Edge" {
  linux /vmlinuz root=PARTUUID=$root_partuuid ro console=ttyS0,115200n8 console=tty0
  initrd /initrd.img
}
EOF
  grub-mkstandalone --format=x86_64-efi --output="$grub_efi" \
    --locales= --fonts= --themes= \
    --install-modules="part_gpt ext2 search search_fs_uuid linux normal serial terminal echo test all_video gzio" \
    --modules="part_gpt ext2" \
    "boot/grub/grub.cfg=$config"
  rm -f "$config"
}

# Writes FILE, a FAT32 EFI system partition of ESP_MIB holding GRUB_EFI as the removable-media
# boot path EFI/BOOT/BOOTX64.EFI, which UEFI firmware boots without an NVRAM boot entry.
make_esp() {
  local file="$1" grub_efi="$2"
  rm -f "$file"
  truncate --size="${ESP_MIB}M" "$file"
  mkfs.fat -F 32 -S "$SECTOR_BYTES" -s 1 -n ESP "$file" >/dev/null
  mmd -i "$file" ::/EFI ::/EFI/BOOT
  mcopy -i "$file" "$grub_efi" ::/EFI/BOOT/BOOTX64.EFI
}

# Writes IMAGE: a GPT with the ESP (from ESP_FILE) and the root partition (from ROOT_FILE, with
# PARTUUID ROOT_PARTUUID), each copied in with dd. conv=sparse keeps the zero runs as holes.
# The disk and partition UUIDs are new on every build, but every disk written from one image shares
# them: GRUB and the kernel find the root by them, so they cannot change at first boot. A second
# disk carrying the same image (the stick it was written from) must be removed before the first boot.
assemble_disk() {
  local image="$1" esp_file="$2" root_file="$3" root_partuuid="$4"
  local esp_sectors root_sectors root_start total_sectors
  esp_sectors=$(( $(stat -c %s "$esp_file") / SECTOR_BYTES ))
  root_sectors=$(( $(stat -c %s "$root_file") / SECTOR_BYTES ))
  root_start=$(( ALIGN_SECTORS + esp_sectors ))
  total_sectors=$(( root_start + root_sectors + ALIGN_SECTORS ))

  rm -f "$image"
  truncate --size=$(( total_sectors * SECTOR_BYTES )) "$image"
  sfdisk --quiet --no-reread --no-tell-kernel "$image" <<EOF
label: gpt
label-id: $(new_uuid)
unit: sectors
first-lba: $ALIGN_SECTORS
start=$ALIGN_SECTORS, size=$esp_sectors, type=$ESP_TYPE, uuid=$(new_uuid), name="ESP"
start=$root_start, size=$root_sectors, type=$ROOT_TYPE, uuid=$root_partuuid, name="root"
EOF
  dd if="$esp_file" of="$image" bs=1M seek=$(( ALIGN_SECTORS * SECTOR_BYTES / 1048576 )) \
    conv=notrunc,sparse status=none
  dd if="$root_file" of="$image" bs=1M seek=$(( root_start * SECTOR_BYTES / 1048576 )) \
    conv=notrunc,sparse status=none
}
