import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localStorageFor } from '../../../src/storage/index';
import { attachmentDisposition } from '../../../src/storage/content-disposition';
import type { LocalDiskStorage } from '../../../src/storage/local-storage';
import { startFileServer, type FileServer } from './attachments-app';

let files: FileServer;
let storage: LocalDiskStorage;

beforeAll(async () => {
  files = await startFileServer();
  storage = localStorageFor(files.config);
});
afterAll(() => files?.close());

let counter = 0;
const freshKey = () => `0190f5d2-0000-7000-8000-00000000000${counter % 10}/file-${Date.now()}-${counter++}`;

const uploadUrl = (key: string, sizeBytes: number, contentType = 'text/plain', expiresInSeconds = 60) =>
  storage.createUploadUrl(key, { contentType, sizeBytes, expiresInSeconds }).then((u) => u.url);

const put = (url: string, body: BodyInit, contentType = 'text/plain', extra: RequestInit = {}) =>
  files.fetchFile(url, { method: 'PUT', headers: { 'Content-Type': contentType }, body, ...extra });

/** A body without Content-Length: the server only learns its size by reading it. */
const streamed = (text: string): RequestInit => ({
  body: new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  }),
  duplex: 'half',
} as RequestInit);

describe('local storage routes', () => {
  it('stores exactly the declared bytes once, and serves them back as a download', async () => {
    const key = freshKey();
    const url = await uploadUrl(key, 5);
    expect((await put(url, 'hello')).status).toBe(200);
    expect(await storage.stat(key)).toEqual({ sizeBytes: 5 });
    // Write-once: the same link cannot replace the file.
    expect((await put(url, 'HELLO')).status).toBe(409);

    const { url: downloadUrl } = await storage.createDownloadUrl(key, { filename: 'notes "v2".txt', contentType: 'text/plain', expiresInSeconds: 60 });
    const download = await files.fetchFile(downloadUrl);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('hello');
    expect(download.headers.get('content-disposition')).toBe(attachmentDisposition('notes "v2".txt'));
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="notes _v2_.txt"; filename\*=UTF-8''notes%20%22v2%22.txt$/);
  });

  it('refuses a body of another size than declared, storing nothing', async () => {
    const key = freshKey();
    const url = await uploadUrl(key, 5);
    expect((await put(url, 'too long')).status).toBe(413);
    expect((await put(url, 'shy')).status).toBe(400);
    expect((await files.fetchFile(url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, ...streamed('streamed too long') })).status).toBe(413);
    expect((await files.fetchFile(url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, ...streamed('abc') })).status).toBe(400);
    expect(await storage.stat(key)).toBeNull();
    // A streamed body of the right size is fine.
    expect((await files.fetchFile(url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, ...streamed('12345') })).status).toBe(200);
  });

  it('refuses another content type than declared', async () => {
    const key = freshKey();
    const url = await uploadUrl(key, 4, 'image/png');
    expect((await put(url, '<b/>', 'text/html')).status).toBe(415);
    expect(await storage.stat(key)).toBeNull();
  });

  it('refuses an expired link, for uploads and downloads', async () => {
    const key = freshKey();
    const past = Math.floor(Date.now() / 1000) - 1;
    const expiredUpload = `/files/upload/${storage.sign({ op: 'put', key, exp: past, size: 2, type: 'text/plain' })}`;
    const response = await put(expiredUpload, 'hi');
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/expired/);
    expect(await storage.stat(key)).toBeNull();

    await put(await uploadUrl(key, 2), 'hi');
    const expiredDownload = `/files/download/${storage.sign({ op: 'get', key, exp: past, type: 'text/plain', name: 'x.txt' })}`;
    expect((await files.fetchFile(expiredDownload)).status).toBe(403);
  });

  it('refuses a tampered link', async () => {
    const key = freshKey();
    const url = await uploadUrl(key, 2);
    const [, , , token] = url.split('/');
    const [payload, signature] = token!.split('.');
    const grant = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    // A bigger size, another key, a later expiry: each breaks the signature.
    for (const change of [{ size: 2_000_000 }, { key: `${key}x` }, { exp: grant.exp + 3600 }]) {
      const forged = Buffer.from(JSON.stringify({ ...grant, ...change })).toString('base64url');
      expect((await put(`/files/upload/${forged}.${signature}`, 'hi')).status).toBe(403);
    }
    expect((await put(`/files/upload/${payload}.${signature!.slice(0, -2)}AA`, 'hi')).status).toBe(403);
    // An upload grant does not open the download route, and a link signed with another secret is refused.
    expect((await files.fetchFile(url.replace('/upload/', '/download/'))).status).toBe(403);
    const other = localStorageFor({ ...files.config, auth: { ...files.config.auth, jwtSecret: 'another-secret-of-at-least-32-characters' } });
    const foreign = await other.createUploadUrl(key, { contentType: 'text/plain', sizeBytes: 2, expiresInSeconds: 60 });
    expect((await put(foreign.url, 'hi')).status).toBe(403);
    expect(await storage.stat(key)).toBeNull();
  });

  it('answers 404 for a download of a file never uploaded, and 405 for the wrong method', async () => {
    const key = freshKey();
    const { url } = await storage.createDownloadUrl(key, { filename: 'x.txt', contentType: 'text/plain', expiresInSeconds: 60 });
    expect((await files.fetchFile(url)).status).toBe(404);
    expect((await files.fetchFile(url, { method: 'DELETE' })).status).toBe(405);
    expect((await files.fetchFile(await uploadUrl(key, 1), { method: 'GET' })).status).toBe(405);
  });

  it('never maps an unsafe key to a path', async () => {
    for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a//b', 'a/.hidden']) {
      expect(() => storage.pathOf(key)).toThrow();
      const url = `/files/upload/${storage.sign({ op: 'put', key, exp: Math.floor(Date.now() / 1000) + 60, size: 2, type: 'text/plain' })}`;
      expect((await put(url, 'hi')).status).toBe(403);
    }
  });

  it('answers browsers from other origins (CORS, as Yoga does for GraphQL)', async () => {
    const key = freshKey();
    const url = await uploadUrl(key, 2);
    const preflight = await files.fetchFile(url, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const response = await put(url, 'hi', 'text/plain', { headers: { 'Content-Type': 'text/plain', origin: 'https://app.example.com' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('leaves every other request to GraphQL', async () => {
    const res = await files.fetchFile('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
