import { bucketOf, Bucketer } from './src/store/time-buckets';
const iso = (t: number) => new Date(t).toISOString();
for (const zone of ['America/Santiago', 'Asia/Beirut', 'America/Havana', 'America/Asuncion', 'Australia/Lord_Howe', 'Europe/Paris', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Kathmandu']) {
  for (const tier of ['1h', '1d'] as const) {
    let bad = 0; let first = '';
    const from = Date.UTC(2024, 0, 1), to = Date.UTC(2026, 0, 1);
    for (let ts = from; ts < to; ts += 60_000 * 7) {
      const b = bucketOf(tier, ts, zone);
      const ok = b.start <= ts && ts < b.end && bucketOf(tier, b.end, zone).start === b.end && bucketOf(tier, b.start, zone).end === b.end;
      if (!ok) { bad++; if (!first) first = `${iso(ts)} -> [${iso(b.start)}, ${iso(b.end)})`; }
    }
    console.log(zone, tier, bad, first);
  }
}
