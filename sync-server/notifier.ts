// Content-free notifications. Every notification is queued per user for the
// extension badge (pushed at once to that user's open connections); when SMTP
// is configured, a user with a registered address also gets ONE e-mail per
// digest window saying only that there is something new — no name, title,
// status, dossier or room, so a mailbox or mail server learns nothing more.
import nodemailer, { type Transporter } from 'nodemailer';
import type { NotifyKind } from '../core/sync/protocol.js';
import type { RelayStorage } from './storage.js';
import type { Logger } from './log.js';

export const MAIL_SUBJECT = 'Er is iets nieuws voor u in Kindkluis';
export const MAIL_TEXT =
  'Er is iets nieuws voor u in Kindkluis.\n\nOpen Kindkluis in uw browser om te zien wat er is veranderd.\n\nDit bericht is automatisch verstuurd en bevat bewust geen details.';

export interface NotifierOptions {
  readonly storage: RelayStorage;
  /** nodemailer SMTP URL (smtp://user:pass@host:port); without it notifications only go to the badge queue. */
  readonly smtpUrl?: string;
  readonly from?: string;
  /** One e-mail per user per window (ms). */
  readonly digestMs?: number;
  /** How often due digests are looked for (ms); default a quarter of the window, between 0.2 and 30 s. */
  readonly pollMs?: number;
  readonly log: Logger;
  readonly now?: () => number;
}

export class Notifier {
  private readonly transport: Transporter | undefined;
  private readonly digestMs: number;
  private poller: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private polling = false;
  /** Set by the relay: delivers queued items to a user's open connections. */
  onQueued: (userId: string) => void = () => undefined;
  mailsSent = 0;

  constructor(private readonly opts: NotifierOptions) {
    this.transport = opts.smtpUrl === undefined ? undefined : nodemailer.createTransport(opts.smtpUrl);
    this.digestMs = opts.digestMs ?? 10 * 60_000;
    if (this.transport !== undefined) {
      // Pending digests live in the store, not here: a restarted relay, or any relay on the same
      // database, sends what is due; taking a digest is atomic, so it is mailed once [P19].
      const pollMs = opts.pollMs ?? Math.max(200, Math.min(30_000, Math.floor(this.digestMs / 4)));
      this.poller = setInterval(() => this.poll(), pollMs);
      this.poller.unref();
    }
  }

  get emailEnabled(): boolean {
    return this.transport !== undefined;
  }

  async notify(userIds: readonly string[], kind: NotifyKind, room: string): Promise<void> {
    const at = this.now();
    for (const user of new Set(userIds)) {
      await this.opts.storage.queueNotification(user, { kind, room, at });
      this.onQueued(user);
      // The window opens with the user's first notification; everything until it closes becomes one e-mail.
      if (this.transport !== undefined) await this.opts.storage.markDigestDue(user, at + this.digestMs);
    }
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private poll(): void {
    if (this.polling) return;
    this.polling = true;
    this.flushing = this.flushing
      .then(() => this.flush())
      .catch(() => this.opts.log('error', 'mail-digest-failed', {}))
      .finally(() => {
        this.polling = false;
      });
  }

  /** Sends every digest that is due now. A taken digest is mailed at most once; a failed send is logged, not retried. */
  async flush(): Promise<void> {
    if (this.transport === undefined) return;
    let sent = 0;
    let failed = 0;
    for (;;) {
      const users = await this.opts.storage.takeDueDigests(this.now(), 100);
      for (const user of users) {
        const to = await this.opts.storage.getEmail(user);
        if (to === undefined) continue;
        try {
          await this.transport.sendMail({
            from: this.opts.from ?? 'Kindkluis <noreply@kindkluis.invalid>',
            to,
            subject: MAIL_SUBJECT,
            text: MAIL_TEXT,
          });
          sent++;
        } catch {
          failed++;
        }
      }
      if (users.length < 100) break;
    }
    this.mailsSent += sent;
    if (sent > 0 || failed > 0) this.opts.log(failed > 0 ? 'warn' : 'info', 'mail-digest', { sent, failed });
  }

  /** Stops polling. Digests whose window is still open stay in the store for the next relay to send. */
  async close(): Promise<void> {
    if (this.poller !== undefined) clearInterval(this.poller);
    this.poller = undefined;
    await this.flushing;
    this.transport?.close();
  }
}
