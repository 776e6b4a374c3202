import { runModbusPollRate } from './modbus-poll-rate';
const t = performance.now();
console.log(JSON.stringify(await runModbusPollRate({ rounds: 3, roundMs: 2000, warmupMs: 1000 })), (performance.now() - t) / 1000);
