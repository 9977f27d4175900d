import { stat, unlink } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { expiryAfter, type DownloadUrlOptions, type SignedDownload, type SignedUpload, type StorageDriver, type UploadUrlOptions } from './storage';
import { signGrant, verifyGrant, type GrantCheck, type UrlGrant } from './url-token';

/** Where the API serves local files; the routes in local-routes.ts answer under it. */
export const LOCAL_FILES_PREFIX = '/files';

// Keys are built by the server from ids (`<organization>/<attachment>`); anything else is refused, never mapped to a path.
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]*(\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/;

export const isSafeStorageKey = (key: unknown): key is string => typeof key === 'string' && SAFE_KEY.test(key);

/**
 * Files on the API's own disk. URLs point back at the API (`/files/...`,
 * relative to its origin) and carry an HMAC-signed grant, so the routes need
 * no database lookup and no session to check them.
 */
export class LocalDiskStorage implements StorageDriver {
  readonly name = 'local' as const;
  readonly root: string;

  constructor(
    directory: string,
    private readonly signingKey: Buffer,
  ) {
    this.root = isAbsolute(directory) ? directory : resolve(directory);
  }

  /** The file for `key`, always inside the root; throws for a key that is not one of ours. */
  pathOf(key: string): string {
    if (!isSafeStorageKey(key)) throw new Error(`Refusing unsafe storage key ${JSON.stringify(key)}`);
    const path = join(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new Error(`Storage key ${JSON.stringify(key)} leaves the storage root`);
    return path;
  }

  sign(grant: UrlGrant): string {
    return signGrant(this.signingKey, grant);
  }

  verify(token: string, now = Date.now()): GrantCheck {
    return verifyGrant(this.signingKey, token, now);
  }

  async createUploadUrl(key: string, { contentType, sizeBytes, expiresInSeconds }: UploadUrlOptions): Promise<SignedUpload> {
    this.pathOf(key);
    const expiresAt = expiryAfter(expiresInSeconds);
    const token = this.sign({ op: 'put', key, exp: expiresAt.getTime() / 1000, size: sizeBytes, type: contentType });
    return { url: `${LOCAL_FILES_PREFIX}/upload/${token}`, method: 'PUT', headers: { 'Content-Type': contentType }, expiresAt };
  }

  async createDownloadUrl(key: string, { filename, contentType, expiresInSeconds }: DownloadUrlOptions): Promise<SignedDownload> {
    this.pathOf(key);
    const expiresAt = expiryAfter(expiresInSeconds);
    const token = this.sign({ op: 'get', key, exp: expiresAt.getTime() / 1000, type: contentType, name: filename });
    return { url: `${LOCAL_FILES_PREFIX}/download/${token}`, expiresAt };
  }

  async stat(key: string): Promise<{ sizeBytes: number } | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { sizeBytes: info.size } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
