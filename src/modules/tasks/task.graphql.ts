// Filled in by its module's work; imported by graphql/schema.ts.
export {};
