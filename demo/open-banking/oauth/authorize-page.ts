/**
 * The shopper's consent page at Meridian: who is paid, how much, from which account; "Approve" and
 * "Reject". Plain HTML, no script, readable by screen readers (labelled radio group, real buttons).
 */
import { formatSortCodeAccount } from '../meridian-accounts.ts';

export interface AuthorizePageModel {
  authorizationId: string;
  payeeName: string;
  payeeAccount: string;
  amountMinor: number;
  reference: string;
  accounts: Array<{ identification: string; name: string; balance: number }>;
  /** Preselected (or the only one offered, when the consent fixed the debtor account). */
  selected?: string;
  error?: string;
}

export function renderAuthorizePage(model: AuthorizePageModel): string {
  const amount = pounds(model.amountMinor);
  const accounts = model.accounts
    .map((account, index) => {
      const id = `account-${index}`;
      const checked = (model.selected ?? model.accounts[0]?.identification) === account.identification ? ' checked' : '';
      return `<div class="account"><input type="radio" id="${id}" name="account" value="${esc(account.identification)}"${checked} required>
        <label for="${id}">${esc(account.name)} <span class="muted">${esc(formatSortCodeAccount(account.identification))} · balance ${esc(pounds(account.balance))}</span></label></div>`;
    })
    .join('\n');
  return page(
    'Approve payment — Meridian Bank',
    `<h1>Approve this payment?</h1>
    ${model.error ? `<p class="error" role="alert">${esc(model.error)}</p>` : ''}
    <dl>
      <dt>Pay</dt><dd>${esc(model.payeeName)} <span class="muted">${esc(formatSortCodeAccount(model.payeeAccount))}</span></dd>
      <dt>Amount</dt><dd class="amount">${esc(amount)}</dd>
      <dt>Reference</dt><dd>${esc(model.reference)}</dd>
    </dl>
    <form method="post" action="/authorize">
      <input type="hidden" name="authorization_id" value="${esc(model.authorizationId)}">
      <fieldset><legend>Pay from</legend>
      ${accounts}
      </fieldset>
      <div class="actions">
        <button type="submit" name="decision" value="approve" class="primary">Approve</button>
        <button type="submit" name="decision" value="reject" formnovalidate>Reject</button>
      </div>
    </form>`,
  );
}

export function renderAuthorizeError(message: string): string {
  return page('Cannot continue — Meridian Bank', `<h1>This payment cannot continue</h1><p class="error" role="alert">${esc(message)}</p>`);
}

function page(title: string, main: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f4f6f8; }
  header { background: #0b3d2e; color: #fff; padding: 12px 20px; font-weight: 600; }
  main { max-width: 28rem; margin: 24px auto; background: #fff; padding: 20px 24px; border-radius: 8px; }
  h1 { font-size: 1.3rem; margin-top: 0; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 16px; }
  dt { font-weight: 600; } dd { margin: 0; }
  .amount { font-size: 1.2rem; font-weight: 700; }
  .muted { color: #59636e; font-size: 0.9em; }
  fieldset { border: 1px solid #c9d1d9; border-radius: 6px; margin: 16px 0; }
  .account { margin: 6px 0; }
  .actions { display: flex; gap: 12px; }
  button { font: inherit; padding: 10px 18px; border-radius: 6px; border: 1px solid #0b3d2e; background: #fff; color: #0b3d2e; cursor: pointer; }
  button.primary { background: #0b3d2e; color: #fff; }
  button:focus-visible, input:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
  .error { color: #a40e26; font-weight: 600; }
</style>
</head>
<body>
<header>Meridian Bank <span class="muted" style="color:#cfe3da">sandbox</span></header>
<main>
${main}
</main>
</body>
</html>`;
}

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

/** 250000 → "£2,500.00" */
function pounds(minor: number): string {
  return gbp.format(minor / 100);
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
