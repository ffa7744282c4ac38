import { maskedCopy } from './payload-shape.js';

/**
 * Opt-in calibration (`logging.captureInbound`): every inbound payload of one platform is kept, masked,
 * until a given time, so a team on its first day can compare what the vendor really sends with the
 * readings in the adapter's wire file. Off unless configured; the newest `max` are kept.
 */
export interface CaptureSettings {
  platform: string;
  until: string;
  max: number;
}

export interface CapturedPayload {
  at: string;
  tenant: string;
  platform: string;
  payload: unknown;
}

export class InboundCapture {
  private readonly kept: CapturedPayload[] = [];

  constructor(private settings: CaptureSettings | undefined) {}

  /** A reload may switch it on, off or extend it; what was kept stays until it ages out. */
  configure(settings: CaptureSettings | undefined): void {
    this.settings = settings;
  }

  active(platform: string, now = Date.now()): boolean {
    const s = this.settings;
    return s !== undefined && s.platform === platform && Date.parse(s.until) > now;
  }

  record(tenant: string, platform: string, payload: unknown): void {
    if (!this.active(platform)) return;
    this.kept.push({ at: new Date().toISOString(), tenant, platform, payload: maskedCopy(payload) });
    const max = this.settings?.max ?? 0;
    if (this.kept.length > max) this.kept.splice(0, this.kept.length - max);
  }

  /** Newest first. */
  list(): CapturedPayload[] {
    return [...this.kept].reverse();
  }
}
