import { execFileSync } from 'node:child_process';

// drizzle-kit writes a new migration when src/db/schema differs from the last snapshot;
// a clean `git status` afterwards means the committed migrations are current.
execFileSync('npx', ['drizzle-kit', 'generate', '--name', 'pending_check'], { stdio: 'inherit' });
const changes = execFileSync('git', ['status', '--porcelain', '--', 'drizzle'], { encoding: 'utf8' }).trim();
if (changes) {
  console.error(`Migrations are out of date with src/db/schema:\n${changes}\nRun \`npm run db:generate\` and commit drizzle/.`);
  execFileSync('git', ['checkout', '--', 'drizzle'], { stdio: 'inherit' });
  execFileSync('git', ['clean', '-fdq', '--', 'drizzle'], { stdio: 'inherit' });
  process.exit(1);
}
console.log('drizzle/ migrations are up to date');
