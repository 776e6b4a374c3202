import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PairResponse } from '@simtestlab/sync';
import { writeAuditEntry } from '../audit/audit-log';
import { findLocalAccount, usernameProblem } from '../auth/local-accounts';
import { hashLocalAdminPassword, storeLocalAdmin } from '../auth/local-admin';
import { passwordProblem } from '../auth/passwords';
import { credentialExists, loadCredential } from '../cloud/credential';
import { ConfigError, resolveSiteConfig } from '../config/load';
import type { SiteConfig } from '../config/schema';
import type { Logger } from '../logger';
import { openDatabase, type SqliteDatabase } from '../store/database';
import { MAX_WRONG_CODES, SetupCodeAttempts, WRONG_CODE_WINDOW_MS } from './code-attempts';
import { pairEdge, PairingInputError, parseCloudUrl, parsePairingCode } from './pair-edge';
import { LanScanRegistry, type LanScanRequest, type LanScanTuning, type ScanJob } from './scan';
import { loadOrCreateSetupCode, setupCodeMatches } from './setup-code';
import { devicePicksToFileDevices, type DevicePick } from './setup-devices';
import { invalidField, SetupError } from './setup-errors';
import { SetupMutex } from './setup-mutex';
import { canonicalTimeZone, identifierFromName, nameProblem } from './setup-names';
import { removeSetupLeftovers } from './setup-leftovers';
import { loadSetupProgress, saveSetupProgress, type SetupProgress } from './setup-progress';
import { SetupSessions, type SetupSession } from './setup-sessions';
import { localAdminExists, SETUP_PAGE_PATH, type SetupStatus } from './setup-status';
import { listSetupTemplates, type SetupTemplate } from './setup-templates';
import { buildSiteDocument, writeSiteFile, type SetupSite } from './site-file';

export interface SetupServiceOptions {
  dataDir: string;
  /** Path of the site file to write; its absence is what started setup mode. */
  configPath: string;
  logger: Logger;
  /** Called once, after `finish` has written the site file, with the configuration to run. */
  onFinished: (config: SiteConfig) => void;
  now?: () => number;
  /** Scan timeouts and concurrency; the scan module's defaults when omitted. */
  scanTuning?: Partial<LanScanTuning>;
  /** Time limit of each hub request while pairing; PAIRING_TIMEOUT_MS by default. */
  pairingTimeoutMs?: number;
}

/** Site used to validate device picks before the installer has chosen a site. */
const placeholderSite: SetupSite = { mode: 'standalone', siteId: 'setup', siteName: 'setup', timeZone: 'UTC' };

/**
 * The state of first-boot setup and its steps: the setup code and sessions, the local admin, the site
 * (paired or standalone), the devices, and `finish`, which writes the site file. A single stateful
 * core: every step checks the order, writes a `setup.*` audit entry with actor type `setup` and never
 * logs or audits a password or the code (the caller prints the code on standard output, by design).
 * The steps that change state run one at a time through a mutex. All of them use the one database
 * connection of the service, because a second connection in this process could lose commits (see
 * `restrictToOwner` in store/database.ts). Errors are SetupErrors carrying the HTTP status.
 */
export class SetupService {
  readonly code: string;
  private readonly db: SqliteDatabase;
  private readonly sessions = new SetupSessions();
  private readonly attempts = new SetupCodeAttempts();
  private readonly scans = new LanScanRegistry();
  private readonly mutex = new SetupMutex();
  /** Aborts the pairing in flight; set while `pair` waits for the hub. */
  private pairing: AbortController | null = null;
  private readonly progress: SetupProgress;
  private readonly now: () => number;
  private state: 'setup' | 'finishing' | 'complete' = 'setup';

  constructor(private readonly options: SetupServiceOptions) {
    this.now = options.now ?? Date.now;
    this.code = loadOrCreateSetupCode(options.dataDir);
    this.db = openDatabase(join(options.dataDir, 'edge.db'));
    this.progress = loadSetupProgress(options.dataDir, options.logger);
    // A paired edge keeps its credential across a restart, so the site comes back from it.
    if (credentialExists(options.dataDir)) {
      const credential = loadCredential(options.dataDir);
      this.progress.site = { mode: 'paired', siteId: credential.siteId, siteName: credential.siteName, timeZone: credential.timeZone, cloudUrl: credential.cloudUrl };
    }
  }

  get complete(): boolean {
    return this.state === 'complete';
  }

  status(): SetupStatus {
    // Once finished the database may be closed, and an admin exists, because finish requires one.
    const admin = this.state === 'setup' ? this.adminExists() : true;
    return {
      state: this.state === 'setup' ? 'setup' : 'complete',
      steps: { admin, site: this.progress.site, devices: this.progress.devices.length },
      setupUrl: SETUP_PAGE_PATH,
    };
  }

  /**
   * Exchanges the setup code for a session token. Only input of 8 digits counts towards the lockout,
   * so a typo such as a letter or a missing digit does not use up one of the tries.
   */
  unlock(input: string): { token: string; expiresAt: string } {
    this.requireOpen();
    const nowMs = this.now();
    const blockedUntilMs = this.attempts.blockedUntilMs(nowMs);
    if (blockedUntilMs !== null) throw tooManyCodes(blockedUntilMs, nowMs);
    if (!isWellFormedSetupCode(input)) {
      throw invalidField('code', 'enter the 8 digits of the setup code shown on the console or in the journal of this node, such as 1234-5678');
    }
    if (!setupCodeMatches(this.code, input)) {
      this.attempts.recordFailure(nowMs);
      this.audit(null, 'setup.unlock_failed', {});
      this.options.logger.warn('wrong setup code entered');
      const nowBlockedUntilMs = this.attempts.blockedUntilMs(nowMs);
      if (nowBlockedUntilMs !== null) throw tooManyCodes(nowBlockedUntilMs, nowMs);
      const left = this.attempts.remaining(nowMs);
      throw new SetupError(
        401,
        'wrong_setup_code',
        `wrong setup code: enter the 8 digits shown on the console or in the journal of this node; ${left} ${left === 1 ? 'try' : 'tries'} left before the setup page locks for ${WRONG_CODE_WINDOW_MS / 60_000} minutes`,
        { parameter: 'code' },
      );
    }
    const session = this.sessions.issue(nowMs);
    this.audit(session.sessionId, 'setup.unlocked', {});
    return { token: session.token, expiresAt: new Date(session.expiresAtMs).toISOString() };
  }

  /** Returns the session of an `Authorization: Bearer` header, or throws a 401. */
  authorize(header: string | undefined): SetupSession {
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (token === undefined) throw new SetupError(401, 'missing_setup_token', 'missing setup token: unlock with the setup code (POST /api/setup/unlock) and send "Authorization: Bearer <token>"');
    const session = this.sessions.find(token, this.now());
    if (session === undefined) throw new SetupError(401, 'invalid_setup_token', 'invalid or expired setup token: unlock again with the setup code');
    return session;
  }

  /** Creates the local admin, or replaces the account an earlier admin step of this setup created. */
  createAdmin(session: SetupSession, input: { username: string; password: string }): Promise<{ username: string }> {
    return this.mutex.run(async () => {
      this.requireOpen();
      const usernameIssue = usernameProblem(input.username);
      if (usernameIssue !== null) throw invalidField('username', usernameIssue);
      const passwordIssue = passwordProblem(input.password);
      if (passwordIssue !== null) throw invalidField('password', passwordIssue);

      const passwordHash = await hashLocalAdminPassword(input.password);
      this.requireOpen();
      const previousId = this.progress.adminAccountId;
      // One transaction: the account this setup created before under another name goes, so only the last choice can log in.
      const { account, replaced } = this.db.transaction(() => {
        const stillThere = previousId !== null && previousId !== findLocalAccount(this.db, input.username)?.id;
        const saved = storeLocalAdmin(this.db, {
          username: input.username,
          passwordHash,
          replace: true,
          actorId: session.sessionId,
          audit: { actorType: 'setup', action: 'setup.admin_set' },
        });
        if (stillThere) {
          this.db.prepare('DELETE FROM local_accounts WHERE id = ?').run(previousId);
          this.audit(session.sessionId, 'setup.admin_removed', { accountId: previousId, replacedBy: saved.account.username });
        }
        return { account: saved.account, replaced: stillThere };
      })();
      this.progress.adminAccountId = account.id;
      this.saveProgress();
      this.options.logger.info({ username: account.username, replacedAccount: replaced }, 'setup: local admin set');
      return { username: account.username };
    });
  }

  /**
   * Pairs with the hub; the site of the pairing code becomes the site of this node. `finish` is
   * rejected while a pairing waits for the hub, and `close` aborts it, so no credential is stored
   * once setup has ended.
   */
  pair(session: SetupSession, input: { cloudUrl: string; code: string }): Promise<PairResponse> {
    let cloudUrl: string;
    let code: string;
    try {
      cloudUrl = parseCloudUrl(input.cloudUrl.trim(), 'cloudUrl');
      code = parsePairingCode(input.code, 'code');
    } catch (error) {
      if (error instanceof PairingInputError) return Promise.reject(new SetupError(400, 'invalid_body', error.message, { parameter: error.field }));
      return Promise.reject(error);
    }
    return this.mutex.run(async () => {
      this.requireOpen();
      const controller = new AbortController();
      this.pairing = controller;
      try {
        return await this.pairWithHub(session, cloudUrl, code, controller.signal);
      } finally {
        this.pairing = null;
      }
    });
  }

  private async pairWithHub(session: SetupSession, cloudUrl: string, code: string, signal: AbortSignal): Promise<PairResponse> {
    const replace = credentialExists(this.options.dataDir);
    let confirmed: PairResponse;
    try {
      ({ confirmed } = await pairEdge({
        cloudUrl,
        code,
        dataDir: this.options.dataDir,
        replace,
        audit: { actorType: 'setup', actorId: session.sessionId, action: 'setup.paired' },
        database: this.db,
        signal,
        timeoutMs: this.options.pairingTimeoutMs,
      }));
    } catch (error) {
      if (signal.aborted) throw new SetupError(409, 'setup_finished', 'setup mode stopped while pairing; no credential was stored', { cause: error });
      const message = error instanceof Error ? error.message : String(error);
      this.audit(session.sessionId, 'setup.pair_failed', { cloudUrl, error: message });
      this.options.logger.warn({ err: error, cloudUrl }, 'setup: pairing failed');
      throw new SetupError(502, 'pairing_failed', message, { cause: error });
    }
    this.progress.site = { mode: 'paired', siteId: confirmed.siteId, siteName: confirmed.siteName, timeZone: confirmed.timeZone, cloudUrl };
    this.saveProgress();
    this.options.logger.info({ cloudUrl, site: confirmed.siteId, edgeNodeId: confirmed.edgeNodeId }, 'setup: paired with the hub');
    return confirmed;
  }

  /** Chooses a standalone site; its id is derived from the name and the time zone is stored in its canonical spelling. */
  standalone(session: SetupSession, input: { siteName: string; timeZone: string }): Promise<SetupSite> {
    return this.mutex.run(() => {
      this.requireOpen();
      const problem = nameProblem(input.siteName);
      if (problem !== null) throw invalidField('siteName', problem);
      const siteName = input.siteName.trim();
      const timeZone = canonicalTimeZone(input.timeZone);
      if (timeZone === null) throw invalidField('timeZone', `"${input.timeZone}" is not an IANA time zone name; use one such as "Europe/Berlin"`);
      this.requireUnpaired('be standalone');
      const site: SetupSite = { mode: 'standalone', siteId: identifierFromName(siteName, 'site'), siteName, timeZone };
      this.progress.site = site;
      this.saveProgress();
      this.audit(session.sessionId, 'setup.site_set', { mode: site.mode, siteId: site.siteId, siteName, timeZone: site.timeZone });
      return site;
    });
  }

  /** Starts a LAN scan; the request is validated by the caller. */
  startScan(session: SetupSession, request: LanScanRequest): ScanJob {
    this.requireOpen();
    const job = this.scans.start({ ...request, logger: this.options.logger.child({ component: 'lan-scan' }), tuning: this.options.scanTuning });
    this.audit(session.sessionId, 'setup.scan_started', { scanId: job.id, cidr: job.cidr, modbusPorts: request.modbusPorts, bacnet: request.bacnet });
    return job;
  }

  scan(scanId: string): ScanJob {
    const job = this.scans.get(scanId);
    if (job === undefined) throw new SetupError(404, 'not_found', `no scan "${scanId}": it never existed or was dropped for newer scans; start a new one`, {
        parameter: 'scanId',
      });
    return job;
  }

  templates(): SetupTemplate[] {
    return listSetupTemplates();
  }

  /** Replaces the chosen devices after checking them against the site file schema and their templates. */
  setDevices(session: SetupSession, picks: readonly DevicePick[]): Promise<{ devices: number }> {
    return this.mutex.run(() => this.storeDevices(session, picks));
  }

  private storeDevices(session: SetupSession, picks: readonly DevicePick[]): { devices: number } {
    this.requireOpen();
    const devices = devicePicksToFileDevices(picks, listSetupTemplates());
    try {
      resolveSiteConfig(buildSiteDocument(this.progress.site ?? placeholderSite, devices), 'the chosen devices');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const first = error.issues[0] ?? 'devices: invalid';
      throw new SetupError(400, 'invalid_body', first, { parameter: first.slice(0, first.indexOf(':')), cause: error });
    }
    this.progress.devices = devices;
    this.saveProgress();
    this.audit(session.sessionId, 'setup.devices_set', { devices: devices.map((device) => ({ key: device.key, driver: device.driver, template: device.template })) });
    return { devices: devices.length };
  }

  /**
   * Writes the site file, ends setup and hands the configuration to `onFinished` after this call
   * returns, so the route can send its response before the server is replaced. Needs an admin and a
   * site, and no pairing in flight. When the site file cannot be written, setup stays open and the
   * error names the path and the cause.
   */
  finish(session: SetupSession): Promise<{ state: 'complete'; loginUrl: '/login' }> {
    if (this.pairing !== null) {
      return Promise.reject(new SetupError(409, 'pairing_in_progress', 'pairing with the hub is still in progress; wait for its result, then finish setup'));
    }
    return this.mutex.run(() => this.finishNow(session));
  }

  private finishNow(session: SetupSession): { state: 'complete'; loginUrl: '/login' } {
    this.requireOpen();
    if (!this.adminExists()) throw new SetupError(409, 'admin_missing', 'create the local admin first (POST /api/setup/admin)');
    const site = this.progress.site;
    if (site === null) throw new SetupError(409, 'site_missing', 'pair with a hub (POST /api/setup/pair) or set up a standalone site (POST /api/setup/standalone) first');
    if (site.mode === 'standalone') this.requireUnpaired('finish as a standalone site');
    const document = buildSiteDocument(site, this.progress.devices);
    let config: SiteConfig;
    try {
      config = resolveSiteConfig(document, this.options.configPath);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new SetupError(409, 'invalid_site', `the site file would be invalid; change the site or the devices: ${error.issues.join('; ')}`, { cause: error });
    }

    const { configPath } = this.options;
    this.state = 'finishing';
    let written = false;
    try {
      writeSiteFile(configPath, site, document);
      written = true;
      this.audit(session.sessionId, 'setup.finished', { configPath, mode: site.mode, siteId: site.siteId, devices: this.progress.devices.length });
    } catch (error) {
      // Back to setup, so the installer can fix the cause and finish again; a site file without its audit entry goes too.
      if (written) rmSync(configPath, { force: true });
      this.state = 'setup';
      const cause = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ err: error, configPath }, 'setup: finishing failed; setup stays open');
      throw new SetupError(500, 'finish_failed', `cannot write the site file ${configPath}: ${cause}; fix the path or its permissions (the --config option of edge-node start) and finish again`, {
        cause: error,
      });
    }
    this.state = 'complete';
    this.sessions.clear();
    removeSetupLeftovers(this.options.dataDir, this.options.logger);
    this.options.logger.info({ configPath, site: site.siteId, mode: site.mode, devices: this.progress.devices.length }, 'setup finished; starting the edge node');
    setImmediate(() => this.options.onFinished(config));
    return { state: 'complete', loginUrl: '/login' };
  }

  /** Aborts a pairing in flight, cancels running scans and closes the database. */
  close(): void {
    this.pairing?.abort(new Error('setup mode stopped'));
    this.scans.cancelAll();
    this.db.close();
  }

  private adminExists(): boolean {
    return localAdminExists(this.db);
  }

  private requireOpen(): void {
    if (this.state !== 'setup') throw new SetupError(409, 'setup_finished', 'setup is finished: log in at /login');
  }

  /** Raises a 409 for a standalone site when the node has a cloud credential; `action` completes the message. */
  private requireUnpaired(action: string): void {
    if (!credentialExists(this.options.dataDir)) return;
    throw new SetupError(
      409,
      'already_paired',
      `this node is paired with the hub at ${this.progress.site?.cloudUrl ?? 'a hub'}, so it cannot ${action}; finish setup as a paired site, or delete ${join(this.options.dataDir, 'cloud-credential.json')} and restart`,
    );
  }

  /** Stores the progress; a step that completes after `finish` must not bring the deleted file back. */
  private saveProgress(): void {
    if (this.state === 'setup') saveSetupProgress(this.options.dataDir, this.progress);
  }

  private audit(sessionId: string | null, action: string, details: Record<string, unknown>): void {
    writeAuditEntry(this.db, { actorType: 'setup', actorId: sessionId, action, details });
  }
}

/** Returns whether the input has the form of a setup code: 8 digits, spaces and dashes aside. */
function isWellFormedSetupCode(input: string): boolean {
  return /^\d{8}$/.test(input.replaceAll(/[\s-]/g, ''));
}

const clockTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

function tooManyCodes(blockedUntilMs: number, nowMs: number): SetupError {
  const waitS = Math.max(1, Math.ceil((blockedUntilMs - nowMs) / 1000));
  const waitMin = Math.ceil(waitS / 60);
  const message =
    `too many wrong setup codes (${MAX_WRONG_CODES} within ${WRONG_CODE_WINDOW_MS / 60_000} minutes); ` +
    `retry in ${waitMin} ${waitMin === 1 ? 'minute' : 'minutes'}, after ${clockTime.format(new Date(blockedUntilMs))} on this node's clock. ` +
    'Restarting the edge node service also clears the lock';
  return new SetupError(429, 'too_many_attempts', message, { parameter: 'code', retryAfterS: waitS });
}
