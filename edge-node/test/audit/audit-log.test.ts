import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAuditEntries, writeAuditEntry } from '../../src/audit/audit-log';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';

let dir: string;
let db: SqliteDatabase;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-audit-'));
  db = openDatabase(join(dir, 'edge.db'));
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit log', () => {
  it('stores and lists an entry', () => {
    const id = writeAuditEntry(db, {
      atMs: 1_700_000_000_000,
      actorType: 'cli',
      actorId: 'installer',
      action: 'edge.paired',
      targetType: 'edge_node',
      targetId: 'node-1',
      details: { siteName: 'Plant A' },
    });
    expect(listAuditEntries(db)).toEqual([
      { id, atMs: 1_700_000_000_000, actorType: 'cli', actorId: 'installer', action: 'edge.paired', targetType: 'edge_node', targetId: 'node-1', details: { siteName: 'Plant A' } },
    ]);
  });

  it('filters by action', () => {
    writeAuditEntry(db, { actorType: 'system', actorId: null, action: 'edge.started' });
    writeAuditEntry(db, { actorType: 'cli', actorId: 'root', action: 'edge.paired' });
    const paired = listAuditEntries(db, { action: 'edge.paired' });
    expect(paired).toHaveLength(1);
    expect(paired[0]!.actorId).toBe('root');
    expect(paired[0]!.details).toEqual({});
  });

  it('rejects UPDATE', () => {
    writeAuditEntry(db, { actorType: 'cli', actorId: 'root', action: 'edge.paired' });
    expect(() => db.prepare("UPDATE audit_log SET action = 'edge.other'").run()).toThrow(/append-only/);
    expect(listAuditEntries(db)[0]!.action).toBe('edge.paired');
  });

  it('rejects DELETE', () => {
    writeAuditEntry(db, { actorType: 'cli', actorId: 'root', action: 'edge.paired' });
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(listAuditEntries(db)).toHaveLength(1);
  });

  it('rejects an unknown actor type', () => {
    expect(() => db.prepare("INSERT INTO audit_log (at, actor_type, action) VALUES (1, 'robot', 'x')").run()).toThrow(/CHECK/);
  });

  it('rejects details that are not an object', () => {
    expect(() => db.prepare("INSERT INTO audit_log (at, actor_type, action, details) VALUES (1, 'cli', 'x', '[1]')").run()).toThrow(/CHECK/);
  });
});
