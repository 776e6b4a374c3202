import { join } from 'node:path';
import { timeZoneSchema, type PairResponse } from '@simtestlab/sync';
import { writeAuditEntry } from '../audit/audit-log';
import { findLocalAccount, usernameProblem } from '../auth/local-accounts';
import { createLocalAdmin } from '../auth/local-admin';
import { passwordProblem } from '../auth/passwords';
import { credentialExists, loadCredential } from '../cloud/credential';
import { ConfigError, resolveSiteConfig } from '../config/load';
import type { SiteConfig } from '../config/schema';
import type { Logger } from '../logger';
import { openDatabase, type SqliteDatabase } from '../store/database';
import { SetupCodeAttempts } from './code-attempts';
import { pairEdge, PairingInputError, parseCloudUrl, parsePairingCode } from './pair-edge';
import { LanScanRegistry, type LanScanRequest, type LanScanTuning, type ScanJob } from './scan';
import { deleteSetupCode, loadOrCreateSetupCode, setupCodeMatches } from './setup-code';
import { devicePicksToFileDevices, identifierFromName, type DevicePick } from './setup-devices';
import { invalidField, SetupError } from './setup-errors';
import { deleteSetupProgress, loadSetupProgress, saveSetupProgress, type SetupProgress } from './setup-progress';
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
}

/** Site used to validate device picks before the installer has chosen a site. */
const placeholderSite: SetupSite = { mode: 'standalone', siteId: 'setup', siteName: 'setup', timeZone: 'UTC' };

/**
 * The state of first-boot setup and its steps: the setup code and sessions, the local admin, the site
 * (paired or standalone), the devices, and `finish`, which writes the site file. A single stateful
 * core: every step checks the order, writes a `setup.*` audit entry with actor type `setup` and never
 * logs or audits a password or the code. Errors are SetupErrors carrying the HTTP status.
 */
export class SetupService {
  readonly code: string;
  private readonly db: SqliteDatabase;
  private readonly sessions = new SetupSessions();
  private readonly attempts = new SetupCodeAttempts();
  private readonly scans = new LanScanRegistry();
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

  /** Exchanges the setup code for a session token; wrong codes count towards the lockout. */
  unlock(input: string): { token: string; expiresAt: string } {
    this.requireOpen();
    const nowMs = this.now();
    const blockedUntilMs = this.attempts.blockedUntilMs(nowMs);
    if (blockedUntilMs !== null) throw tooManyCodes(blockedUntilMs, nowMs);
    if (!setupCodeMatches(this.code, input)) {
      this.attempts.recordFailure(nowMs);
      this.audit(null, 'setup.unlock_failed', {});
      this.options.logger.warn('wrong setup code entered');
      const nowBlockedUntilMs = this.attempts.blockedUntilMs(nowMs);
      if (nowBlockedUntilMs !== null) throw tooManyCodes(nowBlockedUntilMs, nowMs);
      throw new SetupError(401, 'wrong_setup_code', 'wrong setup code: enter the 8 digits shown on the console or in the journal of this node', {
        parameter: 'code',
      });
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
  async createAdmin(session: SetupSession, input: { username: string; password: string }): Promise<{ username: string }> {
    this.requireOpen();
    const usernameIssue = usernameProblem(input.username);
    if (usernameIssue !== null) throw invalidField('username', usernameIssue);
    const passwordIssue = passwordProblem(input.password);
    if (passwordIssue !== null) throw invalidField('password', passwordIssue);

    const previousId = this.progress.adminAccountId;
    const replaced = previousId !== null && previousId !== findLocalAccount(this.db, input.username)?.id;
    const { account } = await createLocalAdmin(this.options.dataDir, {
      username: input.username,
      password: input.password,
      replace: true,
      actorId: session.sessionId,
      audit: { actorType: 'setup', action: 'setup.admin_set' },
    });
    // The account this setup created before under another name goes, so only the last choice can log in.
    if (replaced) {
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM local_accounts WHERE id = ?').run(previousId);
        this.audit(session.sessionId, 'setup.admin_removed', { accountId: previousId, replacedBy: account.username });
      })();
    }
    this.progress.adminAccountId = account.id;
    this.saveProgress();
    this.options.logger.info({ username: account.username, replacedAccount: replaced }, 'setup: local admin set');
    return { username: account.username };
  }

  /** Pairs with the hub; the site of the pairing code becomes the site of this node. */
  async pair(session: SetupSession, input: { cloudUrl: string; code: string }): Promise<PairResponse> {
    this.requireOpen();
    let cloudUrl: string;
    let code: string;
    try {
      cloudUrl = parseCloudUrl(input.cloudUrl.trim(), 'cloudUrl');
      code = parsePairingCode(input.code, 'code');
    } catch (error) {
      if (error instanceof PairingInputError) throw new SetupError(400, 'invalid_body', error.message, { parameter: error.field });
      throw error;
    }
    const replace = credentialExists(this.options.dataDir);
    let confirmed: PairResponse;
    try {
      ({ confirmed } = await pairEdge({
        cloudUrl,
        code,
        dataDir: this.options.dataDir,
        replace,
        audit: { actorType: 'setup', actorId: session.sessionId, action: 'setup.paired' },
      }));
    } catch (error) {
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

  /** Chooses a standalone site; its id is derived from the name. */
  standalone(session: SetupSession, input: { siteName: string; timeZone: string }): SetupSite {
    this.requireOpen();
    const siteName = input.siteName.trim();
    if (siteName === '' || siteName.length > 200) throw invalidField('siteName', 'give a site name of 1 to 200 characters');
    if (!timeZoneSchema.safeParse(input.timeZone).success) {
      throw invalidField('timeZone', `"${input.timeZone}" is not an IANA time zone name; use one such as "Europe/Berlin"`);
    }
    if (credentialExists(this.options.dataDir)) {
      throw new SetupError(
        409,
        'already_paired',
        `this node is paired with the hub at ${this.progress.site?.cloudUrl ?? 'a hub'}, so it cannot be standalone; finish setup as a paired site, or delete ${join(this.options.dataDir, 'cloud-credential.json')} and restart`,
      );
    }
    const site: SetupSite = { mode: 'standalone', siteId: identifierFromName(siteName, 'site'), siteName, timeZone: input.timeZone };
    this.progress.site = site;
    this.saveProgress();
    this.audit(session.sessionId, 'setup.site_set', { mode: site.mode, siteId: site.siteId, siteName, timeZone: site.timeZone });
    return site;
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
  setDevices(session: SetupSession, picks: readonly DevicePick[]): { devices: number } {
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
   * returns, so the route can send its response before the server is replaced. Needs an admin and a site.
   */
  finish(session: SetupSession): { state: 'complete'; loginUrl: '/login' } {
    this.requireOpen();
    if (!this.adminExists()) throw new SetupError(409, 'admin_missing', 'create the local admin first (POST /api/setup/admin)');
    const site = this.progress.site;
    if (site === null) throw new SetupError(409, 'site_missing', 'pair with a hub (POST /api/setup/pair) or set up a standalone site (POST /api/setup/standalone) first');
    const document = buildSiteDocument(site, this.progress.devices);
    let config: SiteConfig;
    try {
      config = resolveSiteConfig(document, this.options.configPath);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new SetupError(409, 'invalid_site', `the site file would be invalid; change the site or the devices: ${error.issues.join('; ')}`, { cause: error });
    }
    this.state = 'finishing';
    writeSiteFile(this.options.configPath, site, document);
    this.audit(session.sessionId, 'setup.finished', { configPath: this.options.configPath, mode: site.mode, siteId: site.siteId, devices: this.progress.devices.length });
    deleteSetupCode(this.options.dataDir);
    deleteSetupProgress(this.options.dataDir);
    this.sessions.clear();
    this.state = 'complete';
    this.options.logger.info({ configPath: this.options.configPath, site: site.siteId, mode: site.mode, devices: this.progress.devices.length }, 'setup finished; starting the edge node');
    setImmediate(() => this.options.onFinished(config));
    return { state: 'complete', loginUrl: '/login' };
  }

  /** Cancels running scans and closes the database. */
  close(): void {
    this.scans.cancelAll();
    this.db.close();
  }

  private adminExists(): boolean {
    return localAdminExists(this.db);
  }

  private requireOpen(): void {
    if (this.state !== 'setup') throw new SetupError(409, 'setup_finished', 'setup is finished: log in at /login');
  }

  /** Stores the progress; a pairing that completes after `finish` must not bring the deleted file back. */
  private saveProgress(): void {
    if (this.state === 'setup') saveSetupProgress(this.options.dataDir, this.progress);
  }

  private audit(sessionId: string | null, action: string, details: Record<string, unknown>): void {
    writeAuditEntry(this.db, { actorType: 'setup', actorId: sessionId, action, details });
  }
}

function tooManyCodes(blockedUntilMs: number, nowMs: number): SetupError {
  const waitS = Math.max(1, Math.ceil((blockedUntilMs - nowMs) / 1000));
  const message = `too many wrong setup codes: 5 within 15 minutes; retry in ${waitS} s (after ${new Date(blockedUntilMs).toISOString()})`;
  return new SetupError(429, 'too_many_attempts', message, { parameter: 'code', retryAfterS: waitS });
}
