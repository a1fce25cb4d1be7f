import { ParentChannel } from '../../widget/frame/parent-channel.ts';
import { deepEqual, equal } from './support/assert.ts';

const SHOP = 'https://shop.example';

/** A stand-in for the frame's window: its own event target, and the real window as "parent" to post from. */
function fakeFrameWindow(posted: Array<[unknown, string]>) {
  const target = new EventTarget();
  const parent = { postMessage: (message: unknown, origin: string) => posted.push([message, origin]) };
  return { win: Object.assign(target, { parent, location: { search: `?origin=${encodeURIComponent(SHOP)}&locale=en` } }), parent };
}

describe('ParentChannel', () => {
  it('posts only to the origin named in the URL', () => {
    const posted: Array<[unknown, string]> = [];
    const { win } = fakeFrameWindow(posted);
    const channel = new ParentChannel(win as unknown as Window);
    equal(channel.parentOrigin, SHOP);
    channel.post({ type: 'ready' });
    channel.post({ type: 'resize', height: 300 });
    deepEqual(posted, [
      [{ paykey: 1, type: 'ready' }, SHOP],
      [{ paykey: 1, type: 'resize', height: 300 }, SHOP],
    ]);
  });

  it('accepts init only from the parent window at that origin', () => {
    const target = new EventTarget();
    // MessageEvent.source must be a real window, so the real window plays the parent here.
    const win = Object.assign(target, { parent: window, location: { search: `?origin=${encodeURIComponent(SHOP)}` } });
    const channel = new ParentChannel(win as unknown as Window);
    const got: string[] = [];
    const stop = channel.onInit((m) => got.push(m.clientSecret));
    const init = { paykey: 1, type: 'init', clientSecret: 'pi_1_secret_a', locale: 'en' };
    const send = (data: unknown, origin: string, source: Window | null) =>
      target.dispatchEvent(new MessageEvent('message', { data, origin, source }));

    send(init, 'https://evil.example', window);
    send(init, `${SHOP}:443`, window);
    send(init, SHOP, null);
    send({ ...init, type: 'ready' }, SHOP, window);
    send({ ...init, clientSecret: 42 }, SHOP, window);
    deepEqual(got, [], 'nothing accepted');
    send(init, SHOP, window);
    deepEqual(got, ['pi_1_secret_a']);
    stop();
    send(init, SHOP, window);
    equal(got.length, 1, 'unsubscribed');
  });

  it('stays silent without an origin parameter', () => {
    const posted: Array<[unknown, string]> = [];
    const { win } = fakeFrameWindow(posted);
    win.location.search = '';
    new ParentChannel(win as unknown as Window).post({ type: 'ready' });
    deepEqual(posted, []);
  });
});
