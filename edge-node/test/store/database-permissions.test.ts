import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database';

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function scratch(): string {
  const folder = mkdtempSync(join(tmpdir(), 'edge-db-mode-'));
  folders.push(folder);
  return folder;
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('database file permissions', () => {
  it('creates the database for its owner only', () => {
    const path = join(scratch(), 'data', 'edge.db');
    const db = openDatabase(path);
    db.prepare('CREATE TABLE probe (id INTEGER)').run();
    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(`${path}-wal`)).toBe(0o600);
    expect(modeOf(join(path, '..'))).toBe(0o700);
    db.close();
  });

  it('tightens an existing world-readable database', () => {
    const path = join(scratch(), 'edge.db');
    writeFileSync(path, '', { mode: 0o644 });
    const db = openDatabase(path);
    expect(modeOf(path)).toBe(0o600);
    db.close();
  });
  it('keeps the WAL of an open connection when another opens and closes', () => {
    const path = join(scratch(), 'edge.db');
    const first = openDatabase(path);
    first.exec('CREATE TABLE probe (value INTEGER)');
    first.prepare('INSERT INTO probe VALUES (1)').run();

    const second = openDatabase(path);
    second.prepare('INSERT INTO probe VALUES (2)').run();
    second.close();
    const walAfterSecond = existsSync(`${path}-wal`);
    first.prepare('INSERT INTO probe VALUES (3)').run();
    const third = openDatabase(path);
    const rows = third.prepare<[], { value: number }>('SELECT value FROM probe ORDER BY value').all();
    const integrity = third.pragma('integrity_check', { simple: true });
    third.close();
    first.close();

    expect(walAfterSecond, 'the -wal file still exists while the first connection is open').toBe(true);
    expect(rows.map((row) => row.value)).toEqual([1, 2, 3]);
    expect(integrity).toBe('ok');
  });
});
