// An SMTP outage over a window of a drill's simulated time. The drill's clock only moves when activities run,
// so the window is applied just before each activity, at the time the server scheduled it.
import type { OutageMode, SmtpSandbox } from '../smtp';

export interface SmtpOutageWindow {
  fromMinute: number;
  toMinute: number;
  /** How the mail server fails meanwhile (default `reject`: a 421 "try again later" to every message). */
  mode?: Exclude<OutageMode, 'none'>;
}

export function createSmtpOutageSchedule(smtp: SmtpSandbox, window: SmtpOutageWindow | undefined): (simMs: number) => Promise<void> {
  if (window && !(window.toMinute > window.fromMinute)) throw new RangeError(`smtpOutage: toMinute (${window.toMinute}) must be after fromMinute (${window.fromMinute})`);
  return async (simMs) => {
    if (!window) return;
    const minute = simMs / 60_000;
    const wanted: OutageMode = minute >= window.fromMinute && minute < window.toMinute ? (window.mode ?? 'reject') : 'none';
    if (smtp.outage() !== wanted) await smtp.setOutage(wanted);
  };
}
