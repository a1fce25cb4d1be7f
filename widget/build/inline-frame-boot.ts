import { build, type Plugin, type Rolldown } from 'vite';

/**
 * Puts the frame's boot (`widget/frame/boot/inline-boot.ts`, bundled and minified on its own) inline in `frame.html`'s
 * head, before the module script, so it runs as the page is parsed: no request of its own, and `loaded` goes to the
 * loader before the module has even downloaded. The server allows it by its hash (`inlineScriptHashes`), never by
 * `'unsafe-inline'`.
 */
export function inlineFrameBoot(entry: string): Plugin {
  return {
    name: 'paykey-inline-frame-boot',
    apply: 'build',
    enforce: 'post',
    async generateBundle(_options, bundle) {
      const page = Object.values(bundle).find((file) => file.type === 'asset' && file.fileName === 'frame.html');
      if (!page || page.type !== 'asset') throw new Error(`inlineFrameBoot: expected frame.html in the build, found ${Object.keys(bundle).join(', ')}`);
      const html = String(page.source);
      const at = html.search(/<script[^>]*type="module"/);
      if (at < 0) throw new Error('inlineFrameBoot: expected the module script in frame.html, found none');
      page.source = `${html.slice(0, at)}<script>${await bootScript(entry)}</script>${html.slice(at)}`;
    },
  };
}

/** `entry` as one minified classic script: no imports, no exports, nothing that could end the `<script>` element. */
async function bootScript(entry: string): Promise<string> {
  const output = (await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      lib: { entry, formats: ['iife'], name: 'paykeyBootScript' },
      rolldownOptions: { output: { minify: true } },
    },
  })) as Rolldown.RolldownOutput[];
  const chunks = output.flatMap((o) => o.output).filter((file) => file.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`inlineFrameBoot: expected one chunk for ${entry}, got ${chunks.length}`);
  const code = chunks[0]!.code.trim();
  if (/<\/script|<!--/i.test(code)) throw new Error(`inlineFrameBoot: ${entry} built into text that would end its <script> element`);
  return code;
}
