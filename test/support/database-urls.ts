export const TEMPLATE_DATABASE = 'taskgraph_test_template';

export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}
