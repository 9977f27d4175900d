import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/env';
import { storageFor } from '../../../src/storage/index';
import { S3Storage } from '../../../src/storage/s3-storage';

const s3Env = {
  STORAGE_DRIVER: 's3',
  S3_ENDPOINT: 'http://minio.internal:9000',
  S3_REGION: 'eu-west-1',
  S3_BUCKET: 'taskgraph-files',
  S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  S3_FORCE_PATH_STYLE: 'true',
};

const s3Config = () => loadConfig(s3Env).storage.s3!;

describe('S3 driver (presigning only, no network)', () => {
  it('signs an upload URL for the bucket and key that pins the size and the type', async () => {
    const storage = new S3Storage(s3Config());
    const before = Date.now();
    const upload = await storage.createUploadUrl('org-1/attachment-1', { contentType: 'application/pdf', sizeBytes: 1234, expiresInSeconds: 600 });
    const url = new URL(upload.url);
    expect(`${url.origin}${url.pathname}`).toBe('http://minio.internal:9000/taskgraph-files/org-1/attachment-1');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // No checksum of the empty presign-time body: it would make every real upload fail.
    expect([...url.searchParams.keys()].filter((k) => k.toLowerCase().includes('checksum'))).toEqual([]);
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'application/pdf' } });
    expect(upload.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 599_000);
    expect(upload.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 600_000);
  });

  it('signs a download URL that makes S3 answer with the type and an attachment disposition', async () => {
    const storage = new S3Storage(s3Config());
    const { url } = await storage.createDownloadUrl('org-1/attachment-1', { filename: 'Plan ü.pdf', contentType: 'application/pdf', expiresInSeconds: 300 });
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/taskgraph-files/org-1/attachment-1');
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(parsed.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(parsed.searchParams.get('response-content-disposition')).toBe(`attachment; filename="Plan _.pdf"; filename*=UTF-8''Plan%20%C3%BC.pdf`);
  });

  it('is the driver storageFor picks when STORAGE_DRIVER=s3', async () => {
    expect((await storageFor(loadConfig(s3Env))).name).toBe('s3');
    expect((await storageFor(loadConfig({}))).name).toBe('local');
  });
});

describe('storage configuration', () => {
  const refusal = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('defaults to local disk, 25 MiB and 15-minute links', () => {
    const { storage } = loadConfig({});
    expect(storage).toMatchObject({ driver: 'local', localDir: '.data/uploads', s3: null, maxAttachmentBytes: 25 * 1024 * 1024, urlTtlSeconds: 900 });
  });

  it('requires the bucket and both keys for the s3 driver, naming each', () => {
    const message = refusal({ STORAGE_DRIVER: 's3' });
    expect(message).toMatch(/S3_BUCKET is required when STORAGE_DRIVER=s3/);
    expect(message).toMatch(/S3_ACCESS_KEY_ID is required/);
    expect(message).toMatch(/S3_SECRET_ACCESS_KEY is required/);
    expect(refusal({ ...s3Env, S3_SECRET_ACCESS_KEY: '' })).toMatch(/S3_SECRET_ACCESS_KEY/);
    expect(s3Config()).toEqual({
      endpoint: 'http://minio.internal:9000',
      region: 'eu-west-1',
      bucket: 'taskgraph-files',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: s3Env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: true,
    });
  });

  it('refuses bad values', () => {
    expect(refusal({ STORAGE_DRIVER: 'ftp' })).toMatch(/STORAGE_DRIVER/);
    expect(refusal({ ATTACHMENT_MAX_BYTES: '0' })).toMatch(/ATTACHMENT_MAX_BYTES/);
    expect(refusal({ ATTACHMENT_URL_TTL_SECONDS: '999999999' })).toMatch(/ATTACHMENT_URL_TTL_SECONDS/);
    expect(refusal({ S3_ENDPOINT: 'not a url' })).toMatch(/S3_ENDPOINT/);
  });
});
