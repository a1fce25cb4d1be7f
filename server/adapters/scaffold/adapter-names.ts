/** The names a new adapter goes by, from its kebab-case name: `acme-bank` → `createAcmeBankAdapter`, `ACME_BANK_…`, "Acme Bank". */
export interface AdapterNames {
  /** `acme-bank`: the adapter's id and its file names. */
  id: string;
  /** `AcmeBank`, as in `createAcmeBankAdapter`. */
  pascal: string;
  /** `acmeBank`, as in `acmeBankLimits`. */
  camel: string;
  /** `ACME_BANK`, as in `ACME_BANK_SANDBOX_URL`. */
  env: string;
  /** `Acme Bank`, in messages and test names. */
  display: string;
}

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export function adapterNames(name: string): AdapterNames {
  if (!KEBAB.test(name) || name.length > 40) {
    throw new TypeError(
      `new-adapter: expected a kebab-case bank name of at most 40 characters (e.g. acme-bank), received ${JSON.stringify(name)}`,
    );
  }
  const words = name.split('-');
  const capitalized = words.map((word) => word[0].toUpperCase() + word.slice(1));
  const pascal = capitalized.join('');
  return { id: name, pascal, camel: pascal[0].toLowerCase() + pascal.slice(1), env: words.join('_').toUpperCase(), display: capitalized.join(' ') };
}
