import { BankConfigurationError } from '../bank-adapter.ts';

/** A bank's base URL, checked: http(s), no credentials in it, ending in "/" so call paths resolve under it. */
export function parseBankBaseUrl(bankName: string, baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new BankConfigurationError(`${bankName} adapter: expected baseUrl to be an http(s) URL, received ${JSON.stringify(String(baseUrl))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BankConfigurationError(`${bankName} adapter: expected an http: or https: baseUrl, received ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new BankConfigurationError(`${bankName} adapter: expected a baseUrl without credentials; pass apiKey instead`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
