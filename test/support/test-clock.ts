/** A clock tests can move forward; passed to the wallet server as `now`. */
export function createTestClock(start = Date.now()) {
  let current = start;
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}

export type TestClock = ReturnType<typeof createTestClock>;
