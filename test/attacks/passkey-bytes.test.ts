/**
 * Dynamic linking at the byte level (PSD2 RTS Art. 5, W3C WebAuthn §7.2):
 * a passkey confirmation is bound to one payment (amount, currency, payee,
 * card). Flip one bit in what the authenticator signed — the signature,
 * authenticatorData (rpIdHash, flags, counter), clientDataJSON (challenge,
 * origin, type, topOrigin) — and the confirmation is refused with its exact
 * code, the intent does not move, the bank is not called and the sign
 * counter stays where it was. The unflipped assertion then pays (the control
 * that proves the refusals come from the flipped bit).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { SessionResponse, SavedCard } from '../../widget/shopper-api.ts';
import { addCard, confirmationOptions, createIntent, inFrame, registerShopper, sendConfirmation } from '../support/frame-client.ts';
import { startInProcessTestBank, type InProcessTestBank } from '../support/in-process-test-bank.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';
import { expectRefusal, paymentState } from './attack-state.ts';

const BANK_KEY = 'bank_sk_bytes_0123456789';
let bank: InProcessTestBank;
let wallet: TestWallet;
let authenticator: SoftwareAuthenticator;
let shopper: SessionResponse;
let card: SavedCard;

before(async () => {
  bank = await startInProcessTestBank(BANK_KEY);
  wallet = await startTestWallet({ bank: bank.config });
  authenticator = new SoftwareAuthenticator();
  const setup = await createIntent(wallet);
  shopper = await registerShopper(wallet, authenticator, setup.client_secret, 'bytes@example.com');
  card = await addCard(wallet, shopper.sessionToken);
  // One payment first, so the stored sign counter is above zero and a rolled-back counter means something.
  const first = await createIntent(wallet);
  const { challengeId, options } = await confirmationOptions(wallet, first.client_secret, card.id, shopper.sessionToken);
  const paid = await sendConfirmation(wallet, first.client_secret, challengeId, authenticator.getAssertion(options, inFrame(wallet)), shopper.sessionToken);
  assert.equal(paid.status, 200, await paid.text());
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

type Part = 'signature' | 'authenticatorData' | 'clientDataJSON';

/** A copy of the assertion with `edit` applied to the bytes of one part. */
function editBytes(response: AuthenticationResponseJSON, part: Part, edit: (bytes: Buffer) => Buffer): AuthenticationResponseJSON {
  const bytes = Buffer.from(response.response[part], 'base64url');
  return { ...response, response: { ...response.response, [part]: edit(Buffer.from(bytes)).toString('base64url') } };
}

const flip = (offset: number | ((bytes: Buffer) => number), mask = 0x01) => (bytes: Buffer) => {
  const at = typeof offset === 'number' ? (offset < 0 ? bytes.length + offset : offset) : offset(bytes);
  assert.ok(at >= 0 && at < bytes.length, `offset ${at} outside ${bytes.length} bytes`);
  bytes[at] ^= mask;
  return bytes;
};

/** The offset of the first character of a string field's value in clientDataJSON. */
const valueOf = (field: string, skip = 0) => (bytes: Buffer) => {
  const key = `"${field}":"`;
  const at = bytes.indexOf(key);
  assert.ok(at >= 0, `no ${field} in ${bytes.toString()}`);
  return at + key.length + skip;
};

/** authenticatorData: rpIdHash [0, 32), flags 32, counter [33, 37). */
const FLAGS = 32;
const COUNTER = 33;

const INVALID: [number, string] = [400, 'invalid_passkey_response'];
const BAD_SIGNATURE: [number, string] = [401, 'passkey_verification_failed'];
const FOREIGN_TOP: [number, string] = [403, 'origin_not_allowed'];

const CASES: Array<{ name: string; part: Part; edit: (bytes: Buffer) => Buffer; expect: [number, string] }> = [
  // The signature (DER ECDSA: 30 len 02 len r 02 len s).
  { name: 'signature: DER sequence tag', part: 'signature', edit: flip(0), expect: INVALID },
  { name: 'signature: a bit of r', part: 'signature', edit: flip(10), expect: BAD_SIGNATURE },
  { name: 'signature: the middle byte', part: 'signature', edit: flip((b) => b.length >> 1, 0x80), expect: BAD_SIGNATURE },
  { name: 'signature: the last bit of s', part: 'signature', edit: flip(-1), expect: BAD_SIGNATURE },
  // authenticatorData: rpIdHash.
  { name: 'authenticatorData: rpIdHash first byte', part: 'authenticatorData', edit: flip(0), expect: INVALID },
  { name: 'authenticatorData: rpIdHash last byte', part: 'authenticatorData', edit: flip(31, 0x80), expect: INVALID },
  // authenticatorData: flags.
  { name: 'flags: UP cleared', part: 'authenticatorData', edit: flip(FLAGS, 0x01), expect: INVALID },
  { name: 'flags: RFU1 set', part: 'authenticatorData', edit: flip(FLAGS, 0x02), expect: BAD_SIGNATURE },
  { name: 'flags: UV cleared', part: 'authenticatorData', edit: flip(FLAGS, 0x04), expect: INVALID },
  { name: 'flags: BE set', part: 'authenticatorData', edit: flip(FLAGS, 0x08), expect: BAD_SIGNATURE },
  { name: 'flags: BS set without BE', part: 'authenticatorData', edit: flip(FLAGS, 0x10), expect: INVALID },
  { name: 'flags: AT set (no attested data follows)', part: 'authenticatorData', edit: flip(FLAGS, 0x40), expect: INVALID },
  { name: 'flags: ED set (no extensions follow)', part: 'authenticatorData', edit: flip(FLAGS, 0x80), expect: INVALID },
  // authenticatorData: the sign counter.
  { name: 'counter: most significant bit', part: 'authenticatorData', edit: flip(COUNTER, 0x80), expect: BAD_SIGNATURE },
  { name: 'counter: a middle bit', part: 'authenticatorData', edit: flip(COUNTER + 2, 0x10), expect: BAD_SIGNATURE },
  { name: 'counter: rolled back to zero (stored counter is ahead)', part: 'authenticatorData', edit: (b) => (b.fill(0, COUNTER, COUNTER + 4), b), expect: INVALID },
  { name: 'authenticatorData: one byte appended', part: 'authenticatorData', edit: (b) => Buffer.concat([b, Buffer.from([0])]), expect: INVALID },
  { name: 'authenticatorData: last byte cut', part: 'authenticatorData', edit: (b) => b.subarray(0, -1), expect: INVALID },
  // clientDataJSON: every field the server checks, and the JSON itself.
  { name: 'clientDataJSON: challenge first character', part: 'clientDataJSON', edit: flip(valueOf('challenge')), expect: INVALID },
  { name: 'clientDataJSON: challenge tenth character', part: 'clientDataJSON', edit: flip(valueOf('challenge', 9), 0x20), expect: INVALID },
  { name: 'clientDataJSON: origin scheme', part: 'clientDataJSON', edit: flip(valueOf('origin')), expect: INVALID },
  { name: 'clientDataJSON: origin port digit', part: 'clientDataJSON', edit: flip((b) => b.indexOf('"', valueOf('origin')(b)) - 1), expect: INVALID },
  { name: 'clientDataJSON: type webauthn.get', part: 'clientDataJSON', edit: flip(valueOf('type', 9)), expect: INVALID },
  { name: 'clientDataJSON: topOrigin host', part: 'clientDataJSON', edit: flip(valueOf('topOrigin', 8)), expect: FOREIGN_TOP },
  { name: 'clientDataJSON: crossOrigin true, no longer JSON', part: 'clientDataJSON', edit: flip((b) => b.indexOf('true')), expect: INVALID },
  { name: 'clientDataJSON: the crossOrigin key renamed (topOrigin without crossOrigin)', part: 'clientDataJSON', edit: flip((b) => b.indexOf('"crossOrigin"') + 1, 0x20), expect: INVALID },
  { name: 'clientDataJSON: whitespace appended (still JSON, not what was signed)', part: 'clientDataJSON', edit: (b) => Buffer.concat([b, Buffer.from(' ')]), expect: BAD_SIGNATURE },
];

describe('a payment confirmation with one bit flipped', () => {
  for (const { name, part, edit, expect: [status, code] } of CASES) {
    test(`${name}: ${status} ${code}, nothing moves`, async () => {
      // A fresh intent each time: failed confirmations count towards the payment's lock (five lock it).
      const intent = await createIntent(wallet, 2718);
      const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, card.id, shopper.sessionToken);
      const genuine = authenticator.getAssertion(options, inFrame(wallet));
      const forged = editBytes(genuine, part, edit);
      assert.notEqual(JSON.stringify(forged), JSON.stringify(genuine), 'the edit changed nothing');
      const ids = { intentId: intent.id, shopperId: shopper.shopper.id };
      const before = await paymentState(wallet, bank, ids);
      await expectRefusal(await sendConfirmation(wallet, intent.client_secret, challengeId, forged, shopper.sessionToken), status, code, name);
      assert.deepEqual(await paymentState(wallet, bank, ids), before);
      assert.equal(before.intent.status, 'requires_confirmation');
      assert.equal(before.attempts, 0);
    });
  }

  test('the control: the same shopper, card and kind of assertion, unflipped, pays once', async () => {
    const intent = await createIntent(wallet, 2718);
    const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, card.id, shopper.sessionToken);
    const genuine = authenticator.getAssertion(options, inFrame(wallet));
    const ids = { intentId: intent.id, shopperId: shopper.shopper.id };
    const before = await paymentState(wallet, bank, ids);
    const res = await sendConfirmation(wallet, intent.client_secret, challengeId, genuine, shopper.sessionToken);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).status, 'succeeded');
    const afterPay = await paymentState(wallet, bank, ids);
    assert.equal(afterPay.bank.charges, before.bank.charges + 1);
    assert.equal(afterPay.attempts, 1);
    assert.notDeepEqual(afterPay.counters, before.counters, 'the sign counter moved on');
  });
});
