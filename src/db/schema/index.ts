export * from './identity';
export * from './organizations';
export * from './projects';
export * from './tasks';
export * from './collaboration';
export * from './activity';
