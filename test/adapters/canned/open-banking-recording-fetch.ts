/**
 * Records an Open Banking adapter's exchanges with a live bank, step by step (see open-banking-exchange.ts): passes
 * every call on to the real fetch, and keeps the request's stable parts, the bank's answer (signed ones byte for
 * byte) and the interaction id the adapter sent. Access tokens and the shopper's codes are replaced by placeholders
 * in the fixture (the adapter gets the real ones); the client assertion and signatures are not kept.
 */
import { fetchNotingNetworkFailure } from './fetch-noting-network-failure.ts';
import type { ObRecordedExchange, ObRecordedRequest } from './open-banking-exchange.ts';

/** Real secret → placeholder (`canned-client-token-1`, `canned-shopper-token-1`, `canned-code-1`). */
export class SecretPlaceholders {
  readonly #names = new Map<string, string>();
  readonly #counts = new Map<string, number>();

  name(real: string, kind: 'client-token' | 'shopper-token' | 'code'): string {
    const known = this.#names.get(real);
    if (known) return known;
    const count = (this.#counts.get(kind) ?? 0) + 1;
    this.#counts.set(kind, count);
    const placeholder = `canned-${kind}-${count}`;
    this.#names.set(real, placeholder);
    return placeholder;
  }

  /** `text` with every known secret replaced by its placeholder. */
  scrub(text: string): string {
    let out = text;
    for (const [real, placeholder] of this.#names) out = out.split(real).join(placeholder);
    return out;
  }
}

export interface ObStepRecording {
  exchanges: ObRecordedExchange[];
  /** The x-fapi-interaction-id of each request of the step (null when it carried none). */
  sent: (string | null)[];
}

export interface ObRecorder {
  fetch: typeof fetch;
  /** Starts recording a new step. */
  begin(): ObStepRecording;
}

const KEPT_HEADERS = ['content-type', 'x-jws-signature', 'x-fapi-interaction-id'];

export function obRecordingFetch(baseUrl: string, secrets: SecretPlaceholders): ObRecorder {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  let step: ObStepRecording = { exchanges: [], sent: [] };

  const recording = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    const bearer = /^Bearer (.+)$/.exec(headers.get('authorization') ?? '')?.[1];
    const request: ObRecordedRequest = {
      method: (init?.method ?? 'GET') as 'GET' | 'POST',
      path: `${url.pathname.slice(base.pathname.length)}${url.search}`,
      bearer: bearer === undefined ? null : secrets.scrub(bearer),
      idempotencyKey: headers.get('x-idempotency-key'),
    };
    let grantType: string | undefined;
    if (init?.body instanceof URLSearchParams) {
      const form = Object.fromEntries(init.body);
      grantType = form.grant_type;
      delete form.client_assertion;
      request.form = JSON.parse(secrets.scrub(JSON.stringify(form)));
    } else if (typeof init?.body === 'string') {
      request.body = JSON.parse(init.body);
    }
    const sent = headers.get('x-fapi-interaction-id');
    step.sent.push(sent);
    const exchanges = step.exchanges;
    const response = await fetchNotingNetworkFailure(input, init, (network) => exchanges.push({ request, response: { network } }));
    const body = await response.text();
    let recordedBody = body;
    if (request.path === 'token' && response.status === 200) {
      // Token answers are not signed: their tokens become placeholders, everywhere they travel.
      const token = (JSON.parse(body) as { access_token?: string }).access_token;
      if (token) secrets.name(token, grantType === 'client_credentials' ? 'client-token' : 'shopper-token');
      recordedBody = secrets.scrub(body);
    }
    const kept: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) kept[name] = name === 'x-fapi-interaction-id' && value === sent ? '<sent>' : value;
    }
    exchanges.push({ request, response: { status: response.status, headers: kept, body: recordedBody } });
    return new Response(body, { status: response.status, headers: response.headers });
  };

  return {
    fetch: recording as typeof fetch,
    begin() {
      step = { exchanges: [], sent: [] };
      return step;
    },
  };
}
