/** The sandbox bank's fault switch (`/admin/faults`, README "Fault injection") as the conformance suite's `BankFaultControl`. */
import type { BankFaultControl } from './bank-fault-control.ts';

/** The sandbox bank has no account payments: only its charge and refund routes take faults. */

export function sandboxBankFaults(bank: { url: string; adminKey: string }): BankFaultControl {
  const admin = async (method: 'POST' | 'DELETE', body?: unknown) => {
    const response = await fetch(new URL('/admin/faults', bank.url), {
      method,
      headers: { authorization: `Bearer ${bank.adminKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const expected = method === 'POST' ? 201 : 204;
    if (response.status !== expected) {
      throw new Error(`sandbox bank faults: expected ${method} /admin/faults to answer ${expected}, received ${response.status} ${await response.text()}`);
    }
  };
  return {
    kinds: ['timeout', 'drop_after', 'conflict_after', 'garbled_after', 'error_after', 'duplicate'],
    inject: (call, kind, options = {}) =>
      admin('POST', { route: call, kind, count: 1, ...(kind === 'timeout' ? { ms: options.holdMs ?? 1_000 } : {}) }),
    clear: () => admin('DELETE'),
  };
}
