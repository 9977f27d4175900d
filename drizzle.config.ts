import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` reads this; migrations are applied by src/db/migrate.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  // DRIZZLE_OUT lets scripts/check-migrations.ts generate into a scratch copy.
  out: process.env.DRIZZLE_OUT ?? './drizzle',
  casing: 'snake_case',
});
