/**
 * Boots a disk image in qemu-system-x86_64 with UEFI firmware (OVMF) for the image test. The image
 * itself is never written: the VM runs on a qcow2 overlay in a temporary folder. The only way in is
 * one forwarded TCP port on 127.0.0.1 to the guest's port 8080, and the guest's user-mode network
 * is restricted, so it reaches neither the host nor any other address.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** OVMF firmware pairs of Debian's ovmf package, newest layout first. */
const OVMF_CANDIDATES = [
  { code: '/usr/share/OVMF/OVMF_CODE_4M.fd', vars: '/usr/share/OVMF/OVMF_VARS_4M.fd' },
  { code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
];

/** Space the overlay adds to the image, so the first boot has free space to grow the root into. */
const OVERLAY_EXTRA_BYTES = 1024 * 1024 * 1024;

export interface VmOptions {
  image: string;
  /** Host port on 127.0.0.1 forwarded to the guest's port 8080. */
  hostPort: number;
  /** "tcg" (software emulation, the default) or "kvm". */
  accel: 'tcg' | 'kvm';
  memoryMiB?: number;
}

export interface Vm {
  serialLog: string;
  process: ChildProcess;
  /**
   * Asks the guest to power off (ACPI) and waits up to timeoutMs, then kills qemu. Returns 'clean'
   * when qemu exited by itself, also when it had exited before the call.
   */
  powerOff(timeoutMs: number): Promise<'clean' | 'killed'>;
  /** Kills qemu if it still runs and deletes the temporary folder. */
  dispose(): void;
}

/** Returns the first OVMF code and variables pair that exists, or throws naming the package. */
export function findOvmf(): { code: string; vars: string } {
  const found = OVMF_CANDIDATES.find((pair) => existsSync(pair.code) && existsSync(pair.vars));
  if (!found) {
    throw new Error(
      `UEFI firmware not found (looked for ${OVMF_CANDIDATES.map((pair) => pair.code).join(', ')}): install the Debian package ovmf`,
    );
  }
  return found;
}

/** Throws naming the Debian package when COMMAND is not installed. */
function requireCommand(command: string, debianPackage: string): void {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
  } catch (error) {
    throw new Error(`${command} not found or not runnable: install the Debian package ${debianPackage}`, { cause: error });
  }
}

/** Starts qemu on a fresh overlay of options.image and returns at once, without waiting for the guest. */
export function bootVm(options: VmOptions): Vm {
  requireCommand('qemu-system-x86_64', 'qemu-system-x86');
  requireCommand('qemu-img', 'qemu-utils');
  const ovmf = findOvmf();
  const dir = mkdtempSync(join(tmpdir(), 'simtestlab-edge-vm-'));
  const overlay = join(dir, 'disk.qcow2');
  const vars = join(dir, 'OVMF_VARS.fd');
  const serialLog = join(dir, 'serial.log');
  const qmpSocket = join(dir, 'qmp.sock');

  copyFileSync(ovmf.vars, vars);
  const overlayBytes = statSync(options.image).size + OVERLAY_EXTRA_BYTES;
  execFileSync('qemu-img', [
    'create', '-q', '-f', 'qcow2', '-b', options.image, '-F', 'raw', overlay, String(overlayBytes),
  ]);

  const args = [
    '-machine', `q35,accel=${options.accel}`,
    '-cpu', options.accel === 'kvm' ? 'host' : 'max',
    '-smp', '2',
    '-m', String(options.memoryMiB ?? 1024),
    '-drive', `if=pflash,format=raw,readonly=on,file=${ovmf.code}`,
    '-drive', `if=pflash,format=raw,file=${vars}`,
    '-drive', `if=virtio,format=qcow2,file=${overlay}`,
    '-netdev', `user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:${options.hostPort}-:8080`,
    '-device', 'virtio-net-pci,netdev=net0',
    '-display', 'none',
    '-vga', 'none',
    '-serial', `file:${serialLog}`,
    '-monitor', 'none',
    '-qmp', `unix:${qmpSocket},server=on,wait=off`,
    '-no-reboot',
  ];
  const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    serialLog,
    process: child,
    async powerOff(timeoutMs) {
      if (child.exitCode !== null || child.signalCode !== null) return 'clean';
      const requested = await sendQmp(qmpSocket, 'system_powerdown').then(
        () => true,
        (error: unknown) => {
          console.warn(`[image-test] ACPI power-off request failed, killing qemu: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        },
      );
      const outcome = requested
        ? await Promise.race([
            exited.then(() => 'clean' as const),
            new Promise<'killed'>((resolve) => setTimeout(() => resolve('killed'), timeoutMs).unref()),
          ])
        : 'killed';
      if (outcome === 'killed') {
        child.kill('SIGKILL');
        await exited;
      }
      return outcome;
    },
    dispose() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const QMP_TIMEOUT_MS = 10_000;

/**
 * Sends one QMP command (after the capabilities handshake) and resolves once qemu returns, or
 * rejects after QMP_TIMEOUT_MS.
 */
function sendQmp(socketPath: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let buffered = '';
    let sent = false;
    socket.setEncoding('utf8');
    socket.setTimeout(QMP_TIMEOUT_MS, () => {
      socket.destroy();
      reject(new Error(`QMP command ${command} timed out after ${QMP_TIMEOUT_MS / 1000} s on ${socketPath}`));
    });
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      // The greeting comes first; the reply to qmp_capabilities is the first {"return": ...}.
      if (!sent && buffered.includes('"QMP"')) {
        socket.write(`${JSON.stringify({ execute: 'qmp_capabilities' })}\n`);
        socket.write(`${JSON.stringify({ execute: command })}\n`);
        sent = true;
      }
      const returns = buffered.match(/"return"/g)?.length ?? 0;
      if (returns >= 2) {
        socket.end();
        resolve();
      }
    });
  });
}
