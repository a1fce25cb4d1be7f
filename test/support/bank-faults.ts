import assert from 'node:assert/strict';
import type { SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';

/** Replaces the sandbox bank's fault rules (see README, "Fault injection"); `[]` switches them off. */
export async function setBankFaults(bank: SpawnedSandboxBank, faults: unknown[]): Promise<void> {
  const res = await fetch(`${bank.url}/admin/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${bank.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ faults }),
  });
  assert.equal(res.status, 200, await res.text());
}
