import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` reads this; migrations are applied by src/db/migrate.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
});
