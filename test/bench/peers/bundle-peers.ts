/**
 * Bundles the peers' checkout components with the widget's own bundler and minifier (Vite 8 / Rolldown, `minify: true`,
 * target es2022), one output directory each under a temp folder. Each bundle is one script (dynamic imports inlined:
 * everything the component can load from the merchant's server) and one stylesheet.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'vite';

const repo = resolve(import.meta.dirname, '..', '..', '..');

export interface PeerBundle {
  /** Shown in the table, e.g. `@adyen/adyen-web 6.45.2: AdyenCheckout + Card + CSS`. */
  name: string;
  /** The folder with the built files. */
  dir: string;
  /** File names (relative to `dir`) of the script and the stylesheet. */
  script: string;
  stylesheet: string;
}

const PEERS = [
  { pkg: '@adyen/adyen-web', entry: 'adyen-card.js', what: 'AdyenCheckout + Card + CSS' },
  { pkg: 'braintree-web-drop-in', entry: 'braintree-dropin.js', what: 'drop-in + CSS' },
] as const;

export type PeerKey = 'adyen' | 'braintree';

function installedVersion(pkg: string): string {
  const manifest = JSON.parse(readFileSync(join(repo, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string };
  if (!manifest.version) throw new Error(`node_modules/${pkg}/package.json has no version: run npm ci`);
  return manifest.version;
}

async function bundleOne(peer: (typeof PEERS)[number], outDir: string): Promise<PeerBundle> {
  await build({
    configFile: false,
    root: repo,
    logLevel: 'error',
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      modulePreload: false,
      cssCodeSplit: false,
      rolldownOptions: {
        input: join(import.meta.dirname, peer.entry),
        output: { minify: true, codeSplitting: false, entryFileNames: 'peer-[hash].js', assetFileNames: 'peer-[hash][extname]' },
      },
    },
  });
  const files = readdirSync(outDir);
  const script = files.filter((f) => f.endsWith('.js'));
  const stylesheet = files.filter((f) => f.endsWith('.css'));
  if (script.length !== 1 || stylesheet.length !== 1) {
    throw new Error(`${peer.pkg}: expected one script and one stylesheet in ${outDir}, found ${files.join(', ') || 'nothing'}`);
  }
  return { name: `${peer.pkg} ${installedVersion(peer.pkg)}: ${peer.what}`, dir: outDir, script: script[0], stylesheet: stylesheet[0] };
}

/** Builds both peers (one after the other: Vite builds share process state) into a fresh temp folder. */
export async function bundlePeers(): Promise<Record<PeerKey, PeerBundle>> {
  const root = mkdtempSync(join(tmpdir(), 'paykey-bench-peers-'));
  try {
    const adyen = await bundleOne(PEERS[0], join(root, 'adyen'));
    const braintree = await bundleOne(PEERS[1], join(root, 'braintree'));
    return { adyen, braintree };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** Removes the temp folder `bundlePeers` built into (about 1 MB a run, left in /tmp before). */
export function removePeerBundles(peers: Record<PeerKey, PeerBundle>): void {
  rmSync(dirname(peers.adyen.dir), { recursive: true, force: true });
}
