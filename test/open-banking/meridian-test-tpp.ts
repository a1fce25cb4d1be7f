/**
 * A test TPP for Meridian Bank, over real HTTP: its own RSA key (published at its own JWKS URL, served by
 * a small HTTP server here), client assertions, request objects, detached request signatures, and the
 * whole flow — consent, the shopper at /authorize (the HTML form driven with fetch), token exchange,
 * payment, look-ups — plus the bank's admin controls.
 */
import { constants, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TEST_CLIENT_ID = 'paykey-test-wallet';
export const TEST_REDIRECT_URI = 'http://127.0.0.1:9/ob/callback';
export const TRUST_ANCHOR = 'sandbox.paykey.dev';
export const SHOPPER_CURRENT = '04000412345678';
export const SHOPPER_SAVER = '04000423456789';
export const MERCHANT = '04000487654321';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function newTestKey(kid = `k-${randomUUID()}`): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'PS256' } };
}

/** Serves { keys } at http://127.0.0.1:<port>/jwks.json. */
export async function serveJwks(keys: TestKey[]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const b64u = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

export function ps256(signingInput: string, key: KeyObject): string {
  return sign('sha256', Buffer.from(signingInput), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('base64url');
}

export function compactJwt(claims: Record<string, unknown>, key: TestKey, header: Record<string, unknown> = {}): string {
  const h = b64u(JSON.stringify({ alg: 'PS256', kid: key.kid, typ: 'JWT', ...header }));
  const p = b64u(JSON.stringify(claims));
  return `${h}.${p}.${ps256(`${h}.${p}`, key.privateKey)}`;
}

/** The v4.0 request signature: detached, PS256, over the base64url-encoded body, with iat/iss/tan critical. */
export function detachedSignature(body: string, key: TestKey, headerChanges: Record<string, unknown> = {}, clientId = TEST_CLIENT_ID): string {
  const header: Record<string, unknown> = {
    alg: 'PS256',
    kid: key.kid,
    typ: 'JOSE',
    cty: 'application/json',
    'http://openbanking.org.uk/iat': Math.floor(Date.now() / 1000) - 1,
    'http://openbanking.org.uk/iss': clientId,
    'http://openbanking.org.uk/tan': TRUST_ANCHOR,
    crit: ['http://openbanking.org.uk/iat', 'http://openbanking.org.uk/iss', 'http://openbanking.org.uk/tan'],
    ...headerChanges,
  };
  for (const [name, value] of Object.entries(headerChanges)) if (value === undefined) delete header[name];
  const h = b64u(JSON.stringify(header));
  return `${h}..${ps256(`${h}.${b64u(body)}`, key.privateKey)}`;
}

/** Checks a detached response signature against the bank's JWKS; throws if it does not verify. */
export function verifyBankSignature(signature: string, body: string, bankJwks: { keys: Array<Record<string, unknown>> }): Record<string, unknown> {
  const [h, payload, s] = signature.split('.');
  if (payload !== '') throw new Error('expected a detached JWS from the bank');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
  const jwk = bankJwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`the bank's kid ${String(header.kid)} is not in its JWKS`);
  const ok = verify('sha256', Buffer.from(`${h}.${b64u(body)}`), { key: createPublicKey({ key: jwk as never, format: 'jwk' }), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(s, 'base64url'));
  if (!ok) throw new Error('the bank signature does not verify');
  return header;
}

export function consentBody(changes: { amount?: string; reference?: string; debtor?: string; creditor?: string; readRefundAccount?: 'Yes' | 'No' } = {}) {
  const reference = changes.reference ?? `pk_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  return {
    Data: {
      ...(changes.readRefundAccount ? { ReadRefundAccount: changes.readRefundAccount } : {}),
      Initiation: {
        InstructionIdentification: reference,
        EndToEndIdentification: reference,
        LocalInstrument: 'UK.OBIE.FPS',
        InstructedAmount: { Amount: changes.amount ?? '12.50', Currency: 'GBP' },
        CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: changes.creditor ?? MERCHANT, Name: 'Paykey Demo Shop Ltd' },
        ...(changes.debtor ? { DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: changes.debtor } } : {}),
        RemittanceInformation: { Unstructured: [`Order ${reference.slice(3, 11)}`] },
      },
    },
    Risk: { PaymentContextCode: 'EcommerceMerchantInitiatedPayment', MerchantCategoryCode: '5999' },
  };
}

export class MeridianTestTpp {
  readonly apiRoot: string;

  constructor(
    readonly bankUrl: string,
    readonly adminKey: string,
    readonly key: TestKey,
    readonly clientId = TEST_CLIENT_ID,
  ) {
    this.apiRoot = `${bankUrl}/open-banking/v4.0/pisp`;
  }

  async call(
    method: 'GET' | 'POST',
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string | undefined>; sign?: boolean } = {},
  ): Promise<Answer> {
    const text = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = {
      'x-fapi-interaction-id': randomUUID(),
      'x-fapi-auth-date': new Date().toUTCString(),
      accept: 'application/json',
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      headers['x-idempotency-key'] = randomUUID();
      if (options.sign !== false && text !== undefined) headers['x-jws-signature'] = detachedSignature(text, this.key);
    }
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    const response = await fetch(`${this.apiRoot}${path}`, { method, headers, body: text });
    return read(response);
  }

  async token(form: Record<string, string> = { grant_type: 'client_credentials', scope: 'payments' }): Promise<Answer> {
    const assertion = compactJwt(
      { iss: this.clientId, sub: this.clientId, aud: `${this.bankUrl}/token`, jti: randomUUID(), exp: Math.floor(Date.now() / 1000) + 60 },
      this.key,
    );
    const response = await fetch(`${this.bankUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }),
    });
    return read(response);
  }

  async clientToken(): Promise<string> {
    const answer = await this.token();
    if (answer.status !== 200) throw new Error(`token: ${answer.status} ${answer.text}`);
    return answer.body.access_token as string;
  }

  /** GET /authorize with a signed request object; returns the page and its authorization_id. */
  async openConsentPage(consentId: string, state = randomUUID()): Promise<{ status: number; html: string; authorizationId?: string; state: string }> {
    const request = compactJwt(
      {
        iss: this.clientId,
        aud: this.bankUrl,
        exp: Math.floor(Date.now() / 1000) + 300,
        response_type: 'code',
        client_id: this.clientId,
        redirect_uri: TEST_REDIRECT_URI,
        scope: 'openid payments',
        state,
        nonce: randomUUID(),
        claims: { id_token: { openbanking_intent_id: { value: consentId, essential: true } } },
      },
      this.key,
    );
    const url = `${this.bankUrl}/authorize?${new URLSearchParams({ client_id: this.clientId, response_type: 'code', scope: 'openid payments', request })}`;
    const response = await fetch(url);
    const html = await response.text();
    const authorizationId = /name="authorization_id" value="([^"]+)"/.exec(html)?.[1];
    return { status: response.status, html, authorizationId, state };
  }

  /** POSTs the consent page's form as a browser would; returns the redirect (Location) or the page. */
  async decide(authorizationId: string, decision: 'approve' | 'reject', account?: string): Promise<{ status: number; location: URL | null; html: string }> {
    const form: Record<string, string> = { authorization_id: authorizationId, decision };
    if (account) form.account = account;
    const response = await fetch(`${this.bankUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
      redirect: 'manual',
    });
    const location = response.headers.get('location');
    return { status: response.status, location: location ? new URL(location) : null, html: await response.text() };
  }

  /** Consent → shopper approves → code → PSU token. */
  async authorisedConsent(body = consentBody(), account = SHOPPER_CURRENT): Promise<{ consentId: string; psuToken: string; body: ReturnType<typeof consentBody>; clientToken: string }> {
    const clientToken = await this.clientToken();
    const consent = await this.call('POST', '/domestic-payment-consents', { token: clientToken, body });
    if (consent.status !== 201) throw new Error(`consent: ${consent.status} ${consent.text}`);
    const consentId = consent.body.Data.ConsentId as string;
    const page = await this.openConsentPage(consentId);
    if (!page.authorizationId) throw new Error(`consent page: ${page.status} ${page.html}`);
    const decision = await this.decide(page.authorizationId, 'approve', account);
    const code = decision.location?.searchParams.get('code');
    if (!code) throw new Error(`approve: ${decision.status} ${decision.location} ${decision.html}`);
    const token = await this.token({ grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI });
    if (token.status !== 200) throw new Error(`code exchange: ${token.status} ${token.text}`);
    return { consentId, psuToken: token.body.access_token, body, clientToken };
  }

  paymentBody(consentId: string, consent: ReturnType<typeof consentBody>) {
    return { Data: { ConsentId: consentId, Initiation: consent.Data.Initiation }, Risk: consent.Risk };
  }

  async admin(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${this.bankUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return read(response);
  }

  async balances(): Promise<Record<string, number>> {
    const answer = await this.admin('GET', '/admin/accounts');
    return Object.fromEntries((answer.body.accounts as Array<{ identification: string; balance: number }>).map((a) => [a.identification, a.balance]));
  }
}

async function read(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}
