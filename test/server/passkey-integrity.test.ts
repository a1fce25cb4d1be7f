/**
 * Passkey integrity found by attacking the walking skeleton (issue "Payment
 * integrity"): a sign counter two racing assertions could leave behind, and
 * a card owner's passkey ids handed to anyone holding a card id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SignInOptionsResponse } from '../../widget/shopper-api.ts';
import { addCard, bearer, createIntent, expectError, inFrame, pay, registerShopper, requestConfirmationOptions, requestQuote } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import type { TestBank } from '../support/test-bank.ts';
import type { TestWallet } from '../support/wallet-harness.ts';
import { closeWalletWithTestBank, startWalletWithTestBank } from '../support/wallet-with-test-bank.ts';
import { bankLedger } from '../attacks/attack-state.ts';

let wallet: TestWallet;
let bank: TestBank;

before(async () => ({ bank, wallet } = await startWalletWithTestBank()));
after(() => closeWalletWithTestBank({ bank, wallet }));

async function signInOptions(clientSecret: string): Promise<SignInOptionsResponse> {
  const res = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: clientSecret });
  assert.equal(res.status, 200);
  return res.json();
}

describe('the sign counter', () => {
  test('two assertions racing leave it at the higher one, so a clone cannot reuse the lower gap', async () => {
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const session = await registerShopper(wallet, authenticator, intent.client_secret, `c${Math.random()}@example.com`);
    const stored = async () =>
      Number((await wallet.query<{ counter: number }>('SELECT counter FROM credentials WHERE shopper_id = ?', [session.shopper.id]))[0].counter);
    for (let round = 0; round < 5; round += 1) {
      const first = await signInOptions(intent.client_secret);
      const second = await signInOptions(intent.client_secret);
      const lower = authenticator.getAssertion(first.options, inFrame(wallet));
      const higher = authenticator.getAssertion(second.options, inFrame(wallet));
      const top = authenticator.credentials[0].counter;
      // Sent together, the higher one first: whatever the order they land in, the stored counter must end at the top.
      await Promise.all([
        wallet.request('POST', '/api/frame/sessions', { client_secret: intent.client_secret, challenge_id: second.challengeId, response: higher }),
        wallet.request('POST', '/api/frame/sessions', { client_secret: intent.client_secret, challenge_id: first.challengeId, response: lower }),
      ]);
      assert.equal(await stored(), top, `round ${round}: the counter was left behind`);

      // A clone of the authenticator, one step behind, signs with the top counter again: refused.
      authenticator.credentials[0].counter = top - 1;
      const clone = await signInOptions(intent.client_secret);
      const cloned = authenticator.getAssertion(clone.options, inFrame(wallet));
      const sessions = async () => Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM sessions WHERE shopper_id = ?', [session.shopper.id]))[0].n);
      const sessionsBefore = await sessions();
      const res = await wallet.request('POST', '/api/frame/sessions', { client_secret: intent.client_secret, challenge_id: clone.challengeId, response: cloned });
      await expectError(res, 400, 'invalid_passkey_response');
      assert.equal(await stored(), top);
      assert.equal(await sessions(), sessionsBefore, 'the clone got a session');
    }
  });
});

describe('confirmation options', () => {
  test("without a session they name none of the card owner's passkeys; with the owner's session they do", async () => {
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const session = await registerShopper(wallet, authenticator, intent.client_secret, `o${Math.random()}@example.com`);
    const card = await addCard(wallet, session.sessionToken);
    // A stranger holding some client secret and the card id.
    const stranger = await createIntent(wallet);
    const anonymous = await requestConfirmationOptions(wallet, stranger.client_secret, card.id);
    assert.equal(anonymous.status, 200);
    assert.deepEqual((await anonymous.json()).options.allowCredentials ?? [], []);

    const owner = await requestConfirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken);
    const ids = ((await owner.json()).options.allowCredentials as Array<{ id: string }>).map((c) => c.id);
    assert.deepEqual(ids, [authenticator.credentials[0].id.toString('base64url')]);
  });
});

describe('a finished payment', () => {
  test("its client secret shows the outcome and opens no passkey ceremony", async () => {
    const authenticator = new SoftwareAuthenticator();
    const paid = await createIntent(wallet);
    const session = await registerShopper(wallet, authenticator, paid.client_secret, `f${Math.random()}@example.com`);
    const card = await addCard(wallet, session.sessionToken);
    const res = await pay(wallet, authenticator, paid.client_secret, card.id, session.sessionToken);
    assert.equal((await res.json()).status, 'succeeded');
    const canceled = await createIntent(wallet);
    const cancel = await wallet.request('POST', `/v1/payment_intents/${canceled.id}/cancel`, undefined, bearer(wallet.secretKey));
    assert.equal(cancel.status, 200);

    for (const [intent, status, code] of [
      [paid, 'succeeded', 'payment_intent_unexpected_state'],
      [canceled, 'canceled', 'payment_intent_canceled'],
    ] as const) {
      const view = await wallet.request('POST', '/api/frame/checkout', { client_secret: intent.client_secret });
      assert.equal((await view.json()).status, status);
      await expectError(await wallet.request('POST', '/api/frame/registrations/options', { client_secret: intent.client_secret, email: `x${Math.random()}@example.com` }), 409, code);
      await expectError(await wallet.request('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret }), 409, code);
      await expectError(
        await requestQuote(wallet, intent.client_secret, card.id, session.sessionToken),
        409,
        code,
      );
    }
  });
});

describe('responses that carry secrets', () => {
  test('are never cached: Cache-Control no-store on the merchant and shopper APIs', async () => {
    const created = await wallet.request('POST', '/v1/payment_intents', { amount: 100, currency: 'USD' }, bearer(wallet.secretKey));
    assert.equal(created.headers.get('cache-control'), 'no-store');
    const intent = await created.json();
    const checkout = await wallet.request('POST', '/api/frame/checkout', { client_secret: intent.client_secret });
    assert.equal(checkout.headers.get('cache-control'), 'no-store');
    const missing = await wallet.request('GET', '/v1/payment_intents/pi_nope', undefined, bearer(wallet.secretKey));
    assert.equal(missing.headers.get('cache-control'), 'no-store');
  });
});

describe('an oversized body', () => {
  test('always gets its 413 JSON answer, never a reset connection (with or without Content-Length)', async () => {
    const big = JSON.stringify({ amount: 100, currency: 'USD', description: 'x'.repeat(2_000_000) });
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const chunked = i % 2 === 1;
      const bytes = new TextEncoder().encode(big);
      const body = chunked
        ? new ReadableStream<Uint8Array>({
            start(controller) {
              for (let offset = 0; offset < bytes.length; offset += 65_536) controller.enqueue(bytes.slice(offset, offset + 65_536));
              controller.close();
            },
          })
        : big;
      try {
        const res = await fetch(`${wallet.url}/v1/payment_intents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...bearer(wallet.secretKey) },
          body,
          ...(chunked ? { duplex: 'half' } : {}),
        } as RequestInit);
        outcomes.push(`${res.status} ${(await res.json()).error?.code}`);
      } catch (error) {
        outcomes.push(`reset: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(outcomes, Array(20).fill('413 request_too_large'));
    // The connections stay usable: the next requests (on the same kept-alive sockets) are answered.
    for (let i = 0; i < 4; i += 1) {
      const next = await fetch(`${wallet.url}/v1/payment_intents/pi_none`, { headers: bearer(wallet.secretKey) });
      assert.equal(next.status, 404);
      await next.text();
    }
  });
});

describe('DNS rebinding', () => {
  test('the server answers only for its own host names: another Host header is 421 misdirected_request', async () => {
    const { request } = await import('node:http');
    const port = Number(new URL(wallet.url).port);
    const ask = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/v1/payment_intents/pi_x', headers: { host, ...bearer(wallet.secretKey) } }, (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const foreign = await ask('attacker.example');
    assert.equal(foreign.status, 421);
    assert.equal(JSON.parse(foreign.body).error.code, 'misdirected_request');
    assert.equal((await ask(`attacker.example:${port}`)).status, 421);
    assert.equal((await ask(`localhost:${port}`)).status, 404, 'our own name reaches the API (an unknown intent)');
    assert.equal((await ask(`127.0.0.1:${port}`)).status, 404);
  });
});

describe('card testing', () => {
  test('a wallet holds at most 20 cards: the 21st is 409 card_limit_reached before the bank sees it', async () => {
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const session = await registerShopper(wallet, authenticator, intent.client_secret, `t${Math.random()}@example.com`);
    const cards = [];
    for (let i = 0; i < 20; i += 1) cards.push(await addCard(wallet, session.sessionToken));
    // The 21st card to keep (a one-time card is not kept: it pays once and is released).
    const body = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getFullYear() + 3, cvc: '123', name: 'Ada', save: true };
    await expectError(await wallet.request('POST', '/api/frame/cards', body, bearer(session.sessionToken)), 409, 'card_limit_reached');
    const count = async () =>
      Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM cards WHERE shopper_id = ? AND deleted_at IS NULL', [session.shopper.id]))[0].n);
    assert.equal(await count(), 20);
    assert.equal((await wallet.request('DELETE', `/api/frame/cards/${cards[0].id}`, undefined, bearer(session.sessionToken))).status, 204);
    await addCard(wallet, session.sessionToken);
    assert.equal(await count(), 20);
  });

  test('five failed passkey confirmations lock the payment (423 authentication_locked), even for the genuine passkey', async () => {
    const owner = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const session = await registerShopper(wallet, owner, intent.client_secret, `o${Math.random()}@example.com`);
    const card = await addCard(wallet, session.sessionToken);
    const counter = async () => Number((await wallet.query<{ counter: number }>('SELECT counter FROM credentials WHERE shopper_id = ?', [session.shopper.id]))[0].counter);
    const [counterBefore, ledgerBefore] = [await counter(), await bankLedger({ url: bank.url, apiKey: bank.apiKey })];
    // Someone else's passkey, tried against the owner's card.
    const other = new SoftwareAuthenticator();
    const otherIntent = await createIntent(wallet);
    await registerShopper(wallet, other, otherIntent.client_secret, `x${Math.random()}@example.com`);
    for (let i = 0; i < 5; i += 1) {
      const optionsRes = await requestConfirmationOptions(wallet, intent.client_secret, card.id);
      const { challengeId, options } = await optionsRes.json();
      const response = other.getAssertion({ ...options, allowCredentials: [] }, inFrame(wallet));
      const res = await wallet.request('POST', '/api/frame/confirmations', { client_secret: intent.client_secret, challenge_id: challengeId, response });
      await expectError(res, 403, 'credential_mismatch');
    }
    const locked = await requestQuote(wallet, intent.client_secret, card.id, session.sessionToken);
    await expectError(locked, 423, 'authentication_locked');
    const [row] = await wallet.query<{ status: string }>('SELECT status FROM payment_intents WHERE id = ?', [intent.id]);
    assert.equal(row.status, 'requires_confirmation');
    assert.equal(Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM payment_attempts WHERE intent_id = ?', [intent.id]))[0].n), 0);
    assert.equal(await counter(), counterBefore);
    assert.deepEqual(await bankLedger({ url: bank.url, apiKey: bank.apiKey }), ledgerBefore);
    // The genuine owner, too, is locked out of this payment: its assertion is never looked at.
    const ownerOptions = await requestQuote(wallet, intent.client_secret, card.id);
    await expectError(ownerOptions, 423, 'authentication_locked');
  });
});
