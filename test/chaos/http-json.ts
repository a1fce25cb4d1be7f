/**
 * One JSON request over real HTTP. Never throws for what a shopper's browser
 * would see: a lost connection or a timeout is `{ status: 0 }`, an answer that
 * is not JSON keeps its text.
 */
import { httpExchange } from '../../server/adapters/http/node-http-exchange.ts';

export type HttpResult =
  | { status: number; body: any; error?: undefined }
  /** No answer: connection refused or reset (a killed server), or a timeout. */
  | { status: 0; body?: undefined; error: string };

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export async function httpJson(url: string, request: HttpRequest = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  try {
    // node:http with kept-alive connections, as the wallet's bank calls: the load generator shares the machine's two
    // cores with what it measures, and fetch costs about 4x the CPU per request.
    const { status, text } = await httpExchange(new URL(url), {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      timeoutMs: request.timeoutMs ?? 30_000,
    });
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Keep the text: a proxy's HTML error page, a cut-off answer.
    }
    return { status, body };
  } catch (error) {
    const { code, name, message } = error as { code?: string; name?: string; message?: string };
    return { status: 0, error: code ?? name ?? message ?? String(error) };
  }
}

/** `status 400 invalid_request` / `no answer (ECONNREFUSED)`, for logs and reports. */
export function describeResult(result: HttpResult): string {
  if (result.status === 0) return `no answer (${result.error})`;
  const code = typeof result.body === 'object' && result.body?.error?.code;
  return `HTTP ${result.status}${code ? ` ${code}` : ''}`;
}

/** No answer or a 5xx: the outcome is unknown and a client may ask again. */
export function isRetryable(result: HttpResult): boolean {
  return result.status === 0 || result.status >= 500;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
