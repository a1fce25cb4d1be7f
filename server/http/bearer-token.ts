/** The credential of an `Authorization: Bearer <token>` header; `undefined` when absent or not of that form. */
export function parseBearer(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}
