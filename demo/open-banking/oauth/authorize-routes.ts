/**
 * The shopper's side of the consent, at Meridian:
 *
 * GET /authorize?client_id=…&response_type=code&scope=openid%20payments&request=<JWT>
 *   The request object (signed by the client, PS256: iss = client_id, aud = Meridian's issuer, exp,
 *   response_type "code", client_id, redirect_uri — one of the client's — scope with payments, state,
 *   nonce, and claims.id_token.openbanking_intent_id.value = the ConsentId) names the consent. Its values win
 *   over the query's. Anything wrong is an error page (never a redirect to an unchecked URI).
 *   The page shows payee, amount, reference and the shopper's accounts; buttons Approve and Reject.
 *
 * POST /authorize (form: authorization_id, decision=approve|reject, account)
 *   approve → consent AUTH with the chosen debtor account; 303 to redirect_uri?code=…&state=…&iss=…
 *   reject  → consent RJCT; 303 to redirect_uri?error=access_denied&state=…&iss=…
 *   (a `reject_consent` scenario turns an approval into the bank's rejection.)
 */
import { Hono } from 'hono';
import type { ScenarioStore } from '../controls/scenario-store.ts';
import type { ClientKeyResolver } from '../jose/client-key-resolver.ts';
import type { ConsentsTable } from '../ledger/ledger-schema.ts';
import type { MeridianLedger } from '../ledger/open-meridian-ledger.ts';
import { newId, newSecret, sha256Hex } from '../new-id.ts';
import { renderAuthorizeError, renderAuthorizePage } from './authorize-page.ts';
import type { ClientRegistry } from './client-registry.ts';
import { verifyClientJwt } from './verify-client-jwt.ts';

const CODE_TTL_MS = 60_000;

export function authorizeRoutes(
  ledger: MeridianLedger,
  clients: ClientRegistry,
  resolveKey: ClientKeyResolver,
  scenarios: ScenarioStore,
  now: () => Date,
): Hono {
  const html = (body: string, status: 200 | 400 | 404 = 200) =>
    new Response(body, {
      status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      },
    });

  const shopperAccounts = (consent: ConsentsTable) =>
    ledger
      .selectFrom('accounts')
      .select(['identification', 'name', 'balance'])
      .where('holder', '=', 'shopper')
      .$if(consent.debtor_identification !== null, (q) => q.where('identification', '=', consent.debtor_identification!))
      .orderBy('identification')
      .execute();

  const pageFor = async (authorizationId: string, consent: ConsentsTable, error?: string, selected?: string) => {
    const data = JSON.parse(consent.data) as {
      Initiation: { EndToEndIdentification: string; RemittanceInformation?: { Unstructured?: string[] } };
    };
    return renderAuthorizePage({
      authorizationId,
      payeeName: consent.creditor_name,
      payeeAccount: consent.creditor_identification,
      amountMinor: consent.amount,
      reference: data.Initiation.RemittanceInformation?.Unstructured?.[0] ?? data.Initiation.EndToEndIdentification,
      accounts: await shopperAccounts(consent),
      selected,
      error,
    });
  };

  const redirect = (redirectUri: string, params: Record<string, string>) => {
    const target = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
    return new Response(null, { status: 303, headers: { location: target.toString(), 'cache-control': 'no-store' } });
  };

  return new Hono()
    .get('/authorize', async (c) => {
      const origin = new URL(c.req.url).origin;
      const clientId = c.req.query('client_id');
      const client = clientId ? clients.get(clientId) : undefined;
      if (!client) return html(renderAuthorizeError(`expected the client_id of a registered client, received ${JSON.stringify(clientId ?? null)}`), 400);
      const requestJwt = c.req.query('request');
      if (!requestJwt) return html(renderAuthorizeError('expected a signed request object (request=<JWT>), received none'), 400);
      let claims: Record<string, unknown>;
      try {
        claims = await verifyClientJwt({ jwt: requestJwt, client, resolveKey, audiences: [origin], now: now(), what: 'request object' });
      } catch (error) {
        return html(renderAuthorizeError((error as Error).message), 400);
      }
      const problems: string[] = [];
      if (claims.response_type !== 'code') problems.push(`response_type: expected "code", received ${JSON.stringify(claims.response_type ?? null)}`);
      if (claims.client_id !== client.clientId) problems.push(`client_id: expected ${client.clientId}, received ${JSON.stringify(claims.client_id ?? null)}`);
      const redirectUri = claims.redirect_uri;
      if (typeof redirectUri !== 'string' || !client.redirectUris.includes(redirectUri)) {
        problems.push(`redirect_uri: expected one of the client's registered redirect URIs, received ${JSON.stringify(redirectUri ?? null)}`);
      }
      if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes('payments')) problems.push(`scope: expected one including payments, received ${JSON.stringify(claims.scope ?? null)}`);
      if (typeof claims.state !== 'string' || claims.state.length === 0) problems.push(`state: expected a non-empty string, received ${JSON.stringify(claims.state ?? null)}`);
      const intent = (claims.claims as { id_token?: { openbanking_intent_id?: { value?: unknown } } } | undefined)?.id_token?.openbanking_intent_id?.value;
      if (typeof intent !== 'string') problems.push(`claims.id_token.openbanking_intent_id.value: expected the ConsentId, received ${JSON.stringify(intent ?? null)}`);
      if (problems.length > 0) return html(renderAuthorizeError(`request object: ${problems.join('; ')}`), 400);

      const consent = await ledger
        .selectFrom('consents')
        .selectAll()
        .where('consent_id', '=', intent as string)
        .where('client_id', '=', client.clientId)
        .executeTakeFirst();
      if (!consent) return html(renderAuthorizeError(`expected the ConsentId of a consent of ${client.clientId}, received ${JSON.stringify(intent)}`), 404);
      if (consent.status !== 'AWAU') {
        return html(renderAuthorizeError(`expected a consent awaiting authorisation (AWAU), received one that is ${consent.status}`), 400);
      }
      const authorizationId = newId('az');
      await ledger
        .insertInto('authorizations')
        .values({
          authorization_id: authorizationId,
          client_id: client.clientId,
          consent_id: consent.consent_id,
          redirect_uri: redirectUri as string,
          state: claims.state as string,
          nonce: typeof claims.nonce === 'string' ? claims.nonce : null,
          code_hash: null,
          code_expires_at: null,
          code_used: 0,
          created_at: now().toISOString(),
        })
        .execute();
      return html(await pageFor(authorizationId, consent));
    })
    .post('/authorize', async (c) => {
      const origin = new URL(c.req.url).origin;
      const form = Object.fromEntries(new URLSearchParams(await c.req.text())) as Record<string, string>;
      const authorization = form.authorization_id
        ? await ledger.selectFrom('authorizations').selectAll().where('authorization_id', '=', form.authorization_id).executeTakeFirst()
        : undefined;
      if (!authorization) return html(renderAuthorizeError('expected the authorization_id of this page, received an unknown one; start the payment again'), 400);
      const consent = await ledger.selectFrom('consents').selectAll().where('consent_id', '=', authorization.consent_id).executeTakeFirstOrThrow();
      if (authorization.code_hash !== null || consent.status !== 'AWAU') {
        return html(renderAuthorizeError(`expected a consent awaiting authorisation (AWAU), received one that is ${consent.status}; it was already decided`), 400);
      }
      const at = now().toISOString();
      const reject = async (code: string, description: string) => {
        await ledger
          .updateTable('consents')
          .set({ status: 'RJCT', status_updated_at: at, status_reason: JSON.stringify([{ StatusReasonCode: code, StatusReasonDescription: description }]) })
          .where('consent_id', '=', consent.consent_id)
          .where('status', '=', 'AWAU')
          .execute();
        return redirect(authorization.redirect_uri, { error: 'access_denied', error_description: description, state: authorization.state, iss: origin });
      };

      if (form.decision === 'reject') return reject('U042', 'The account holder rejected the payment at Meridian Bank');
      if (form.decision !== 'approve') {
        return html(await pageFor(authorization.authorization_id, consent, `Choose Approve or Reject (received ${JSON.stringify(form.decision ?? null)}).`), 400);
      }
      const accounts = await shopperAccounts(consent);
      if (!accounts.some((account) => account.identification === form.account)) {
        return html(await pageFor(authorization.authorization_id, consent, 'Choose one of your accounts to pay from.'), 400);
      }
      if (scenarios.take(['reject_consent'])) return reject('U033', 'Meridian Bank declined to authorise the payment (sandbox scenario reject_consent)');

      const code = newSecret();
      const updated = await ledger
        .updateTable('consents')
        .set({ status: 'AUTH', status_updated_at: at, debtor_identification: form.account })
        .where('consent_id', '=', consent.consent_id)
        .where('status', '=', 'AWAU')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return html(renderAuthorizeError('expected a consent awaiting authorisation, received one decided meanwhile'), 400);
      await ledger
        .updateTable('authorizations')
        .set({ code_hash: sha256Hex(code), code_expires_at: new Date(now().getTime() + CODE_TTL_MS).toISOString() })
        .where('authorization_id', '=', authorization.authorization_id)
        .execute();
      return redirect(authorization.redirect_uri, { code, state: authorization.state, iss: origin });
    });
}
