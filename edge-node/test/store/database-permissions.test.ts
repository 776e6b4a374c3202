import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
});
