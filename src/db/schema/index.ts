export * from './identity';
export * from './organizations';
export * from './projects';
export * from './tasks';
