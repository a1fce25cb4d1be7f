/**
 * Compile-time proof that a zod schema's type and a wire type are one type: `sameType<A, B>()` type-checks only
 * when A and B are mutually assignable in the strict sense (so a field added to either side breaks `tsc`).
 */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export function sameType<A, B>(..._proof: Equals<A, B> extends true ? [] : [never]): void {}

/** Weaker: every value of `Sent` (what the server sends) is accepted by the schema's type `Described`. */
export function covers<Described, Sent extends Described>(..._proof: Sent extends Described ? [] : [never]): void {}

/** `T` without the index signatures of open (`looseObject`) schemas, at every depth: their named members only. */
export type NamedMembers<T> = T extends readonly (infer E)[]
  ? NamedMembers<E>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: NamedMembers<T[K]> }
    : T;
