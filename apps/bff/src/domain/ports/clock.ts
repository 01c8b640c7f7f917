/** Time is a dependency so tests can share the emulator's movable clock. */
export interface Clock {
  now(): Date;
}
