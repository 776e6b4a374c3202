import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

/** A pool or a transaction: what helpers that run inside or outside a transaction take. */
export type Queryable = postgres.Sql | postgres.TransactionSql;

/** Opens a connection pool. Notices are dropped: the service logs its own errors. */
export function connectDatabase(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'simtestlab-cloud' },
  });
}
