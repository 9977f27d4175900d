/**
 * Where attachment bytes live. Clients never stream files through GraphQL:
 * they get a short-lived signed URL to PUT the bytes to, and signed URLs to
 * download them. Drivers: local disk (served by the API itself) and S3.
 */
export type SignedUpload = {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the PUT, exactly (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: Date;
};

export type SignedDownload = { url: string; expiresAt: Date };

export type UploadUrlOptions = { contentType: string; sizeBytes: number; expiresInSeconds: number };
export type DownloadUrlOptions = { filename: string; contentType: string; expiresInSeconds: number };

export interface StorageDriver {
  readonly name: 'local' | 's3';
  /** A URL accepting exactly one object of `sizeBytes` bytes and `contentType` under `key`. */
  createUploadUrl(key: string, options: UploadUrlOptions): Promise<SignedUpload>;
  /** A URL serving the object as a download named `filename`. */
  createDownloadUrl(key: string, options: DownloadUrlOptions): Promise<SignedDownload>;
  /** The stored object's size, or null when nothing is stored under `key`. */
  stat(key: string): Promise<{ sizeBytes: number } | null>;
  delete(key: string): Promise<void>;
}

export const expiryAfter = (seconds: number, now = Date.now()) => new Date(Math.floor(now / 1000) * 1000 + seconds * 1000);
