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
  readonly log: Logger;
  readonly now?: () => number;
}

export class Notifier {
  private readonly transport: Transporter | undefined;
  private readonly pendingMail = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Set by the relay: delivers queued items to a user's open connections. */
  onQueued: (userId: string) => void = () => undefined;
  mailsSent = 0;

  constructor(private readonly opts: NotifierOptions) {
    this.transport = opts.smtpUrl === undefined ? undefined : nodemailer.createTransport(opts.smtpUrl);
  }

  get emailEnabled(): boolean {
    return this.transport !== undefined;
  }

  async notify(userIds: readonly string[], kind: NotifyKind, room: string): Promise<void> {
    const at = (this.opts.now ?? Date.now)();
    for (const user of new Set(userIds)) {
      await this.opts.storage.queueNotification(user, { kind, room, at });
      this.onQueued(user);
      if (this.transport !== undefined) this.pendingMail.add(user);
    }
    if (this.transport !== undefined && this.pendingMail.size > 0 && this.timer === undefined) {
      // The window opens with the first notification; everything until it closes becomes one e-mail per user.
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flushing = this.flushing.then(() => this.flush()).catch(() => this.opts.log('error', 'mail-digest-failed', {}));
      }, this.opts.digestMs ?? 10 * 60_000);
    }
  }

  /** Sends the digest now (also on shutdown). */
  async flush(): Promise<void> {
    const users = [...this.pendingMail];
    this.pendingMail.clear();
    if (this.transport === undefined) return;
    let sent = 0;
    let failed = 0;
    for (const user of users) {
      const to = await this.opts.storage.getEmail(user);
      if (to === undefined) continue;
      try {
        await this.transport.sendMail({ from: this.opts.from ?? 'Kindkluis <noreply@kindkluis.invalid>', to, subject: MAIL_SUBJECT, text: MAIL_TEXT });
        sent++;
      } catch {
        failed++;
      }
    }
    this.mailsSent += sent;
    this.opts.log(failed > 0 ? 'warn' : 'info', 'mail-digest', { sent, failed });
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush()).catch(() => this.opts.log('error', 'mail-digest-failed', {}));
    }
    await this.flushing;
    this.transport?.close();
  }
}
