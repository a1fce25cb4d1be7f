import { pollQuickly, watchOutcome, type OutcomeTiming, type PaymentState } from '../../widget/frame/app/wait-for-outcome.ts';
import type { PaymentStatus } from '../../widget/shopper-api.ts';
import { deepEqual, equal, ok } from './support/assert.ts';

const state = (status: PaymentStatus): PaymentState => ({ paymentIntentId: 'pi_1', status, lastError: null });
const timing: OutcomeTiming = { quickTries: 3, quickEvery: 5, watchFrom: 10, watchMax: 40, watchFor: 2000 };

/** A `/checkout` stand-in answering each item in turn (an Error is thrown), then the last one for ever; it logs when. */
function checkout(...answers: Array<PaymentStatus | Error>) {
  const at: number[] = [];
  const poll = async () => {
    at.push(performance.now());
    const a = answers.length > 1 ? answers.shift()! : answers[0];
    if (a instanceof Error) throw a;
    return state(a);
  };
  return { poll, at };
}

describe('pollQuickly', () => {
  it('polls a few times while pending, and stops at the first outcome', async () => {
    const c = checkout('processing', 'succeeded');
    deepEqual(await pollQuickly(state('processing'), c.poll, timing), state('succeeded'));
    equal(c.at.length, 2);
  });

  it('gives up after quickTries, keeps the last state known through failed polls, and never polls a settled state', async () => {
    const c = checkout(new TypeError('Failed to fetch'));
    deepEqual(await pollQuickly(state('requires_review'), c.poll, timing), state('requires_review'));
    equal(c.at.length, 3);
    const d = checkout('processing');
    deepEqual(await pollQuickly(state('failed'), d.poll, timing), state('failed'));
    equal(d.at.length, 0);
  });
});

describe('watchOutcome', () => {
  it('backs off, doubling up to watchMax, until the outcome is known', async () => {
    const c = checkout('processing', new TypeError('Failed to fetch'), 'requires_review', 'processing', 'processing', 'succeeded');
    const seen: string[] = [];
    const start = performance.now();
    const last = await watchOutcome(state('processing'), c.poll, { ...timing, watchFrom: 40, watchMax: 160 }, () => false, (s) => seen.push(s.status));
    deepEqual(last, state('succeeded'));
    deepEqual(seen, ['processing', 'processing', 'requires_review', 'processing', 'processing', 'succeeded'], 'a failed poll is no news');
    const gaps = c.at.map((t, i) => t - (i ? c.at[i - 1] : start));
    const expected = [40, 80, 160, 160, 160, 160];
    gaps.forEach((gap, i) => ok(gap >= expected[i] - 1, `wait ${i} was ${gap.toFixed(1)} ms, expected at least ${expected[i]}`));
    // Below the doubled wait (80 ms), with room for timer lag on a busy machine.
    ok(gaps[0] < 80, `the first wait is watchFrom: ${gaps.map((g) => g.toFixed(0)).join(', ')}`);
  });

  it('gives up after watchFor, answering the last pending state', async () => {
    const c = checkout('processing');
    const start = performance.now();
    const last = await watchOutcome(state('processing'), c.poll, { ...timing, watchFor: 100 }, () => false, () => {});
    deepEqual(last, state('processing'));
    // Waits of 10, 20, 40 ms fit in 100; the next 40 would not, so it stops rather than wait past the deadline.
    ok(c.at.length >= 2 && c.at.length <= 3, `${c.at.length} polls`);
    ok(performance.now() - start < 100 + 60, 'no wait past the deadline (give or take timer lag)');
  });

  it('stops, answering null, once stopped() says so', async () => {
    const c = checkout('processing');
    let stop = false;
    const watching = watchOutcome(state('processing'), c.poll, timing, () => stop, () => {});
    while (c.at.length < 2) await new Promise((r) => setTimeout(r, 5));
    stop = true;
    equal(await watching, null);
    const polls = c.at.length;
    await new Promise((r) => setTimeout(r, 100));
    equal(c.at.length, polls, 'no poll after the stop');
  });
});
