import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config/env';
import { attachmentDisposition } from './content-disposition';
import { localStorageFor } from './index';
import { isSafeStorageKey, LOCAL_FILES_PREFIX, type LocalDiskStorage } from './local-storage';
import type { UrlGrant } from './url-token';

export type FileRouteHandler = (request: Request) => Promise<Response | null>;

const ROUTE = new RegExp(`^${LOCAL_FILES_PREFIX}/(upload|download)/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)$`);

/** How far past the declared size a refused body is still read (and dropped). */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

const plain = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

const ALREADY_UPLOADED = () => plain(409, 'This file was already uploaded');

/** The media type without parameters, lower-cased: `Text/Plain; charset=x` -> `text/plain`. */
const essence = (contentType: string | null) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * The local driver's HTTP side: `PUT /files/upload/:token` stores the body,
 * `GET /files/download/:token` serves it. The signed token is the whole
 * authorization (it names the key, the operation, the expiry and, for
 * uploads, the exact size and type). Other paths answer null: not ours.
 */
export function createLocalStorageRoutes(config: Config): FileRouteHandler {
  const storage = localStorageFor(config);
  return async (request) => {
    const match = new URL(request.url).pathname.match(ROUTE);
    if (!match) return null;
    const [, route, token] = match as unknown as [string, 'upload' | 'download', string];
    const check = storage.verify(token);
    if (!check.ok) return plain(403, check.reason === 'expired' ? 'This link has expired' : 'This link is not valid');
    const { grant } = check;
    // Only the server signs grants, and only for its own keys: an unsafe key means a leaked signing secret, so refuse it.
    if (!isSafeStorageKey(grant.key)) return plain(403, 'This link is not valid');
    if (route === 'upload') {
      if (grant.op !== 'put') return plain(403, 'This link is not valid');
      if (request.method !== 'PUT') return plain(405, 'Use PUT', { allow: 'PUT' });
      return receiveUpload(storage, grant, request);
    }
    if (grant.op !== 'get') return plain(403, 'This link is not valid');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Use GET', { allow: 'GET, HEAD' });
    return serveDownload(storage, grant, request.method === 'HEAD');
  };
}

/**
 * Streams the body to a temporary file, refusing it as soon as it is longer
 * than declared; the file appears under its key only complete, and only once
 * (a second upload to the same key is refused rather than replacing it).
 */
async function receiveUpload(storage: LocalDiskStorage, grant: Extract<UrlGrant, { op: 'put' }>, request: Request): Promise<Response> {
  if (essence(request.headers.get('content-type')) !== grant.type) {
    return plain(415, `Content-Type must be ${grant.type}`);
  }
  const declaredLength = request.headers.get('content-length');
  if (declaredLength !== null && Number(declaredLength) !== grant.size) {
    return plain(declaredLength && Number(declaredLength) > grant.size ? 413 : 400, `The body must be exactly ${grant.size} bytes`);
  }
  if (await storage.stat(grant.key)) return ALREADY_UPLOADED();
  const target = storage.pathOf(grant.key);
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.${randomBytes(6).toString('hex')}.part`;
  const file = await open(temporary, 'wx');
  let received = 0;
  let refusal: Response | null = null;
  try {
    if (request.body) {
      for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
        received += chunk.byteLength;
        if (received <= grant.size) {
          await file.write(chunk);
          continue;
        }
        refusal ??= plain(413, `The body must be exactly ${grant.size} bytes`);
        // Reading a little further lets the client see the answer (rather than a reset); a flood is cut off.
        if (received > grant.size + DRAIN_LIMIT_BYTES) break;
      }
    }
    if (!refusal && received !== grant.size) refusal = plain(400, `The body must be exactly ${grant.size} bytes`);
    await file.close();
    if (refusal) return refusal;
    try {
      await link(temporary, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return ALREADY_UPLOADED();
      throw error;
    }
    return new Response(null, { status: 200 });
  } finally {
    await file.close().catch(() => {});
    await unlink(temporary).catch(() => {});
  }
}

async function serveDownload(storage: LocalDiskStorage, grant: Extract<UrlGrant, { op: 'get' }>, headOnly: boolean): Promise<Response> {
  const path = storage.pathOf(grant.key);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return plain(404, 'Not found');
  const headers = {
    'content-type': grant.type,
    'content-length': String(info.size),
    'content-disposition': attachmentDisposition(grant.name),
    // The type is the declared one: never let a browser guess another (e.g. HTML) from the bytes.
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, max-age=0, no-store',
  };
  if (headOnly) return new Response(null, { status: 200, headers });
  const body = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}

/**
 * A Yoga plugin answering the local driver's /files routes before GraphQL
 * sees the request; it does nothing when another driver is configured.
 */
export function useLocalStorageRoutes(config: Config): Plugin {
  if (config.storage.driver !== 'local') return {};
  const handle = createLocalStorageRoutes(config);
  return {
    async onRequest({ request, endResponse }) {
      const response = await handle(request);
      if (response) endResponse(response);
    },
  };
}
