import { createSignal } from 'solid-js';

const [now, setNow] = createSignal(Date.now());
setInterval(() => setNow(Date.now()), 1_000);

/** The current time, updated every second, for "ago" labels and countdowns. */
export { now };
