import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'hono';
import { preferredEncoding } from './accept-encoding.ts';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** A built file as read once: its bytes, their brotli and gzip forms (null when not worth it) and its ETag hash. */
export interface CompressedAsset {
  identity: Uint8Array<ArrayBuffer>;
  br: Uint8Array<ArrayBuffer> | null;
  gzip: Uint8Array<ArrayBuffer> | null;
  /** base64url SHA-256 of the identity bytes: the strong ETag is `"<hash>"`, its compressed forms `"<hash>-br"`/`"<hash>-gzip"`. */
  hash: string;
}

/** Types worth compressing; png and woff2 are compressed already, gzip would only add bytes and CPU. */
const COMPRESSIBLE = /^(text\/|application\/json|image\/svg\+xml)/;

/**
 * Reads built files and compresses each text file once, on its first request: brotli at quality 11 and gzip at
 * level 9 (both on libuv's thread pool, off the event loop), kept in memory keyed by path, mtime and size, so a
 * rebuild (`vite build` while the server runs) is picked up at the next request and every other request costs one
 * `stat`. The widget is a few hundred KB of text: holding it twice more compressed is cheap.
 * A compressed form no smaller than the file itself (a tiny file) is dropped and the file is sent as it is.
 */
export function compressedAssets(): { read(file: string, contentType: string): Promise<CompressedAsset> } {
  const cache = new Map<string, { version: string; asset: Promise<CompressedAsset> }>();
  return {
    async read(file, contentType) {
      const info = await stat(file);
      if (!info.isFile()) throw new Error(`not a file: ${file}`);
      const version = `${info.mtimeMs}:${info.size}`;
      const cached = cache.get(file);
      if (cached?.version === version) return cached.asset;
      const asset = compress(file, COMPRESSIBLE.test(contentType));
      cache.set(file, { version, asset });
      // A failed read is not kept: the next request tries again.
      asset.catch(() => cache.get(file)?.asset === asset && cache.delete(file));
      return asset;
    },
  };
}

async function compress(file: string, compressible: boolean): Promise<CompressedAsset> {
  const identity = new Uint8Array(await readFile(file));
  const hash = createHash('sha256').update(identity).digest('base64url');
  if (!compressible) return { identity, br: null, gzip: null, hash };
  const [br, gz] = await Promise.all([
    brotli(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.byteLength,
      },
    }),
    gzipAsync(identity, { level: 9 }),
  ]);
  const smaller = (bytes: Buffer) => (bytes.byteLength < identity.byteLength ? new Uint8Array(bytes) : null);
  return { identity, br: smaller(br), gzip: smaller(gz), hash };
}

export interface SendAssetOptions {
  contentType: string;
  cacheControl: string;
  /** Send a strong ETag and answer a matching `If-None-Match` with 304 (the mutable loader). */
  etag?: boolean;
}

/**
 * Answers with the asset in the coding the request's `Accept-Encoding` prefers (see `preferredEncoding`), with
 * `Vary: Accept-Encoding` whenever the type is compressible (the same URL has several forms, so caches must key on it),
 * `Content-Encoding` when compressed and the length of the bytes actually sent. Headers the route set stay.
 */
export function sendAsset(c: Context, asset: CompressedAsset, options: SendAssetOptions): Response {
  const wanted = preferredEncoding(c.req.header('accept-encoding'));
  // A form dropped as no smaller falls back to the bytes themselves, never to a coding the client did not choose.
  const coding = wanted !== 'identity' && asset[wanted] ? wanted : 'identity';
  const body = coding === 'identity' ? asset.identity : asset[coding]!;
  if (COMPRESSIBLE.test(options.contentType)) c.header('Vary', 'Accept-Encoding', { append: true });
  c.header('Cache-Control', options.cacheControl);
  if (options.etag) {
    const tag = coding === 'identity' ? `"${asset.hash}"` : `"${asset.hash}-${coding}"`;
    c.header('ETag', tag);
    if (matchesIfNoneMatch(c.req.header('if-none-match'), tag)) return c.body(null, 304);
  }
  if (coding !== 'identity') c.header('Content-Encoding', coding);
  c.header('Content-Type', options.contentType);
  c.header('Content-Length', String(body.byteLength));
  return c.body(body, 200);
}

/**
 * RFC 9110 §13.1.2: `*` or any listed tag equal to ours under weak comparison (a `W/` prefix ignored). Every route
 * that answers `If-None-Match` uses this one (assets, brands, the OpenAPI document).
 */
export function matchesIfNoneMatch(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}
