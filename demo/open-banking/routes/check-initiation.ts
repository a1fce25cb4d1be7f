/**
 * What Meridian carries beyond the document's schema: GBP only, accounts identified by
 * UK.OBIE.SortCodeAccountNumber (14 digits), a debtor account that is one of the shopper's at Meridian.
 */
import { parseGbpAmount } from '../parse-gbp-amount.ts';
import { obError, OB_ERROR_CODES } from '../http/ob-error.ts';
import type { MeridianLedger } from '../ledger/open-meridian-ledger.ts';

export interface ObAccount {
  SchemeName: string;
  Identification: string;
  Name?: string;
}

export interface DomesticInitiation {
  InstructionIdentification: string;
  EndToEndIdentification: string;
  InstructedAmount: { Amount: string; Currency: string };
  CreditorAccount: ObAccount & { Name: string };
  DebtorAccount?: ObAccount;
}

/** The amount in pence, after checking currency and accounts (400 with the standard's codes otherwise). */
export async function checkInitiation(ledger: MeridianLedger, initiation: DomesticInitiation): Promise<number> {
  const base = 'Data.Initiation';
  if (initiation.InstructedAmount.Currency !== 'GBP') {
    throw obError(400, OB_ERROR_CODES.UnsupportedCurrency, `expected GBP (the only currency Meridian carries), received ${initiation.InstructedAmount.Currency}`, `${base}.InstructedAmount.Currency`);
  }
  const amount = parseGbpAmount(initiation.InstructedAmount.Amount);
  if ('problem' in amount) throw obError(400, OB_ERROR_CODES.FieldInvalid, amount.problem, `${base}.InstructedAmount.Amount`);
  checkSortCodeAccount(initiation.CreditorAccount, `${base}.CreditorAccount`);
  if (initiation.DebtorAccount) {
    checkSortCodeAccount(initiation.DebtorAccount, `${base}.DebtorAccount`);
    const debtor = await ledger
      .selectFrom('accounts')
      .select('holder')
      .where('identification', '=', initiation.DebtorAccount.Identification)
      .executeTakeFirst();
    if (debtor?.holder !== 'shopper') {
      throw obError(400, OB_ERROR_CODES.UnsupportedAccountIdentifier, `expected a DebtorAccount held at Meridian by the shopper, received ${initiation.DebtorAccount.Identification}, which is not one`, `${base}.DebtorAccount.Identification`);
    }
  }
  return amount.minor;
}

function checkSortCodeAccount(account: ObAccount, path: string): void {
  if (account.SchemeName !== 'UK.OBIE.SortCodeAccountNumber') {
    throw obError(400, OB_ERROR_CODES.UnsupportedScheme, `expected SchemeName UK.OBIE.SortCodeAccountNumber (the only scheme Meridian supports), received ${account.SchemeName}`, `${path}.SchemeName`);
  }
  if (!/^\d{14}$/.test(account.Identification)) {
    throw obError(400, OB_ERROR_CODES.UnsupportedAccountIdentifier, `expected a 14-digit sort code and account number, received ${JSON.stringify(account.Identification)}`, `${path}.Identification`);
  }
}
