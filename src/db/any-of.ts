import { eq, sql, type Column, type SQL } from 'drizzle-orm';

/**
 * `column = any($1::type[])`: the same statement text for two values or a
 * hundred, so each connection prepares it once. (`IN ($1, $2, ...)` is a new
 * statement for every list length: a parse and a describe round trip each time
 * a DataLoader batch has a size not seen before on that connection.) A single
 * value stays a plain `=`, which the planner estimates from the column's
 * statistics (the organization filter is nearly always one value).
 */
export function anyOf<TColumn extends Column>(column: TColumn, values: readonly TColumn['_']['data'][]): SQL {
  if (values.length === 1) return eq(column, values[0]);
  return sql`${column} = any(${sql.param(values)}::${sql.raw(column.getSQLType())}[])`;
}
