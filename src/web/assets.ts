import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Context } from 'koa';
import { packageRoot } from '../config/index.js';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Safe file names only: no path separators, so a request can never leave the folder. */
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(js|css|svg)$/;

interface Asset {
  body: Buffer;
  type: string;
}

/**
 * The browser assets in `src/web/public/`, read once at start. They are served under
 * `/assets/<version>/<name>`, where the version is a hash over every file: relative ES
 * module imports (`./api.js`) resolve inside the same versioned folder, so one fingerprint
 * covers the whole set and the files can be cached for a year as immutable.
 */
export class WebAssets {
  readonly version: string;
  readonly #files: Map<string, Asset>;

  constructor(directory = join(packageRoot(), 'src', 'web', 'public')) {
    this.#files = new Map();
    const hash = createHash('sha256');
    for (const name of readdirSync(directory).sort()) {
      const type = CONTENT_TYPES[extname(name)];
      if (!type || !ASSET_NAME.test(name)) continue;
      const body = readFileSync(join(directory, name));
      hash.update(name).update('\0').update(body).update('\0');
      this.#files.set(name, { body, type });
    }
    this.version = hash.digest('hex').slice(0, 12);
  }

  /** The URL a page uses for an asset. */
  url(name: string): string {
    if (!this.#files.has(name)) throw new Error(`unknown web asset ${name}`);
    return `/assets/${this.version}/${name}`;
  }

  /**
   * Answers `/assets/:version/:name`. The current version is immutable for a year; a page
   * from an older deployment asking for its old version gets today's file, uncached, rather
   * than a broken page.
   */
  serve(ctx: Context, version: string, name: string): void {
    const asset = ASSET_NAME.test(name) ? this.#files.get(name) : undefined;
    if (!asset) {
      ctx.status = 404;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'Not found';
      return;
    }
    ctx.set('Cache-Control', version === this.version ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.type = asset.type;
    ctx.body = asset.body;
  }
}
