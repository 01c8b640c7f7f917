// Preloaded into the BFF by the harness: a time machine for a real process, like the emulator's
// advanceClock. The wall clock (Date) runs HARNESS_CLOCK_OFFSET_MS ahead; on SIGUSR2 the offset is
// re-read from HARNESS_CLOCK_FILE and acknowledged on stdout. Timers (monotonic) are not touched.
import { readFileSync } from 'node:fs';

const RealDate = Date;
let offset = Number(process.env.HARNESS_CLOCK_OFFSET_MS ?? '0') || 0;

class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offset);
    else super(...args);
  }
  static now() {
    return RealDate.now() + offset;
  }
  static [Symbol.hasInstance](value) {
    return value instanceof RealDate;
  }
}
globalThis.Date = ShiftedDate;

const file = process.env.HARNESS_CLOCK_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    offset = Number(readFileSync(file, 'utf8').trim()) || 0;
    process.stdout.write(`${JSON.stringify({ harness: 'clock-shift', offsetMs: offset })}\n`);
  });
}
