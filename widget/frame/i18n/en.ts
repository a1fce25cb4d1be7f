import { enFirstScreen } from './en-first-screen.ts';
import { enLater } from './en-later.ts';

/**
 * Every string the wallet frame shows or says (labels, errors, aria text, the document title), in English: the first
 * screen's (`en-first-screen.ts`, in the frame's first chunk) and the later screens' (`en-later.ts`, loaded with them).
 * `zh-CN.ts` is the same table in Simplified Chinese, type-checked against this one (`satisfies Messages`), so
 * components read text only through `Messages`, never as literals.
 * Other parts of the frame add their keys in their own commented block at the end of either part (the same block in
 * the `zh-CN` part).
 */
export const en = { ...enFirstScreen, ...enLater };

export type Messages = typeof en;
