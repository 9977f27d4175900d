import type { Config } from '../config/env';
import { LocalDiskStorage } from './local-storage';
import type { StorageDriver } from './storage';
import { deriveUrlSigningKey } from './url-token';

export type { SignedDownload, SignedUpload, StorageDriver } from './storage';

const drivers = new WeakMap<Config, Promise<StorageDriver>>();
const localDrivers = new WeakMap<Config, LocalDiskStorage>();

/** The local driver of this configuration (one per config, shared by the GraphQL layer and the /files routes). */
export function localStorageFor(config: Config): LocalDiskStorage {
  let driver = localDrivers.get(config);
  if (!driver) {
    driver = new LocalDiskStorage(config.storage.localDir, deriveUrlSigningKey(config.auth.jwtSecret));
    localDrivers.set(config, driver);
  }
  return driver;
}

/** The configured driver, created once per config. The AWS SDK is loaded only when S3 is configured. */
export function storageFor(config: Config): Promise<StorageDriver> {
  let driver = drivers.get(config);
  if (!driver) {
    const s3 = config.storage.s3;
    driver =
      config.storage.driver === 's3' && s3
        ? import('./s3-storage').then(({ S3Storage }) => new S3Storage(s3))
        : Promise.resolve(localStorageFor(config));
    drivers.set(config, driver);
  }
  return driver;
}
