/** The critical header claims of Open Banking detached signatures (request and response), v3.1.4 and later. */
export const OB_IAT = 'http://openbanking.org.uk/iat';
export const OB_ISS = 'http://openbanking.org.uk/iss';
export const OB_TAN = 'http://openbanking.org.uk/tan';
export const OB_CRIT: readonly string[] = [OB_IAT, OB_ISS, OB_TAN];
