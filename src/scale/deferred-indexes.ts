import type postgres from 'postgres';

type Definition = { owner: string; name: string; definition: string };

/**
 * Takes a table's indexes, keys and foreign keys (its own and those pointing
 * at it) away for the duration of its COPY, and puts them back from their own
 * definitions (pg_get_constraintdef / pg_get_indexdef) afterwards, in the
 * same transaction. Building an index once from sorted data is several times
 * cheaper than updating it row by row in random key order, and one validation
 * join per foreign key is far cheaper than a trigger lookup per row. Rolled
 * back, the transaction brings the originals back untouched; a duplicate key
 * or dangling reference fails the load when its constraint is added back.
 */
export async function deferIndexes(tx: postgres.TransactionSql, table: string): Promise<() => Promise<void>> {
  // Identifiers come back quoted by Postgres itself (quote_ident, regclass::text), ready for DDL.
  const foreignKeys = await tx<Definition[]>`
    select conrelid::regclass::text as owner, quote_ident(conname) as name, pg_get_constraintdef(oid) as definition
    from pg_constraint
    where contype = 'f' and (conrelid = ${table}::regclass or confrelid = ${table}::regclass)
    order by oid`;
  const keys = await tx<Definition[]>`
    select conrelid::regclass::text as owner, quote_ident(conname) as name, pg_get_constraintdef(oid) as definition
    from pg_constraint
    where contype in ('p', 'u', 'x') and conrelid = ${table}::regclass
    order by oid`;
  const indexes = await tx<Omit<Definition, 'owner'>[]>`
    select quote_ident(c.relname) as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = ${table}::regclass
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.contype <> 'f')
    order by i.indexrelid`;
  // Referencing foreign keys first (they depend on the keys' indexes), then the keys, then the rest.
  for (const key of [...foreignKeys, ...keys]) await tx.unsafe(`alter table ${key.owner} drop constraint ${key.name}`);
  for (const index of indexes) await tx.unsafe(`drop index ${index.name}`);
  return async () => {
    for (const key of keys) await tx.unsafe(`alter table ${key.owner} add constraint ${key.name} ${key.definition}`);
    for (const index of indexes) await tx.unsafe(index.definition);
    for (const key of foreignKeys) await tx.unsafe(`alter table ${key.owner} add constraint ${key.name} ${key.definition}`);
  };
}
