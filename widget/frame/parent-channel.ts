import { isParentToFrameMessage, type FrameToParentMessage, type ParentToFrameMessage } from '../protocol.ts';

type Outgoing = FrameToParentMessage extends infer M ? (M extends unknown ? Omit<M, 'paykey'> : never) : never;

/**
 * The frame's side of the loader protocol. The embedding page's origin comes from the `origin` query parameter,
 * which the server already checked against the merchant's allowed origins (the page would not render otherwise);
 * every message goes to exactly that origin, and only messages from that origin *and* the parent window are read.
 */
export class ParentChannel {
  readonly parentOrigin: string;

  constructor(
    private readonly win: Window = window,
    search: string = win.location.search,
  ) {
    this.parentOrigin = new URLSearchParams(search).get('origin') ?? '';
  }

  /** Posts to the embedding page; a no-op when the frame was opened without a valid parent origin. */
  post(message: Outgoing): void {
    if (!this.parentOrigin || this.win.parent === this.win) return;
    try {
      this.win.parent.postMessage({ paykey: 1, ...message }, this.parentOrigin);
    } catch {
      // An unparseable origin throws SyntaxError: there is nobody we may talk to.
    }
  }

  /** Calls `handler` for each `init` from the parent; returns an unsubscribe function. */
  onInit(handler: (message: ParentToFrameMessage) => void): () => void {
    const listener = (event: MessageEvent) => {
      const message = this.accepted(event);
      if (message) handler(message);
    };
    this.win.addEventListener('message', listener);
    return () => this.win.removeEventListener('message', listener);
  }

  /** `event`'s message if it is one this channel reads: from the parent window, at the parent's origin, well formed. */
  accepted(event: MessageEvent): ParentToFrameMessage | undefined {
    if (event.origin !== this.parentOrigin || event.source !== this.win.parent) return undefined;
    return isParentToFrameMessage(event.data) ? event.data : undefined;
  }
}
