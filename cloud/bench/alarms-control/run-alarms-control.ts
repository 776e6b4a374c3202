import { startMachineRecord } from '../machine';
import { runAlarmLatency } from './alarm-latency';
import { startControlRig } from './control-rig';
import { runControlRoundTrip } from './control-round-trip';
import { renderAlarmsControlSection } from './report';

const format = (summary: { p50Ms: number; p99Ms: number; maxMs: number }) =>
  `p50 ${summary.p50Ms.toFixed(1)} ms, p99 ${summary.p99Ms.toFixed(1)} ms, max ${summary.maxMs.toFixed(1)} ms`;

/**
 * Runs the alarm latency and remote control benchmarks on one rig (device, hub, edge), prints their
 * figures and returns their section of docs/benchmarks.md. Takes about a minute.
 */
export async function runAlarmsControlBenchmarks(): Promise<string> {
  const finishMachineRecord = startMachineRecord();
  const rig = await startControlRig();
  try {
    console.log('alarms: device to browser through edge, upload, hub and Redis');
    const alarms = await runAlarmLatency(rig);
    console.log(`  ${alarms.transitions} transitions from the device: ${format(alarms.fromDevice)}; from the transition's at: ${format(alarms.fromTransition)}`);

    console.log('control: round trip through the hub, the uplink and the device');
    const control = await runControlRoundTrip(rig);
    console.log(`  edge online: ${format(control.online)}; edge stopped: ${format(control.offline)}`);

    return renderAlarmsControlSection({ machine: finishMachineRecord(), alarms, control });
  } finally {
    await rig.close();
  }
}
