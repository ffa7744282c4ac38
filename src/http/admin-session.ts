import { createHmac } from 'node:crypto';
import type { Request, Response } from 'express';
import { sameSecret } from '../auth/same-secret.js';

const COOKIE = 'chatbridge_admin';
const SESSION_SECONDS = 8 * 3600;

/**
 * The status page's browser session. The cookie is not the admin token: it is an expiry signed with it
 * (HMAC), so a leaked cookie is worth a few hours of the page, never the token that also drives the JSON
 * admin API, and changing the token ends every session. It is set by a sign-in form (POST), so the
 * token never travels in a URL, a history entry or a Referer.
 */
function sign(adminToken: string, purpose: string, value: string): string {
  return createHmac('sha256', adminToken).update(`chatbridge-admin-page:${purpose}:${value}`).digest('base64url');
}

function sessionValue(adminToken: string, expires: number): string {
  return `${expires}.${sign(adminToken, 'session', String(expires))}`;
}

function cookieOf(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === COOKIE) return value.join('=');
  }
  return undefined;
}

export interface PageSession {
  /** The token each form carries: bound to this session, so another site cannot forge a form post. */
  csrf: string;
}

/** The valid session a request carries, if any. */
export function sessionOf(req: Request, adminToken: string): PageSession | undefined {
  const value = cookieOf(req);
  const expires = Number(value?.split('.')[0]);
  if (!value || !Number.isInteger(expires) || expires * 1000 < Date.now()) return undefined;
  if (!sameSecret(value, sessionValue(adminToken, expires))) return undefined;
  return { csrf: sign(adminToken, 'csrf', value) };
}

export function startSession(req: Request, res: Response, adminToken: string): void {
  const expires = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
  const secure = req.secure ? '; Secure' : '';
  res.setHeader('Set-Cookie', `${COOKIE}=${sessionValue(adminToken, expires)}; Path=/admin; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Strict${secure}`);
}

export function endSession(res: Response): void {
  res.setHeader('Set-Cookie', `${COOKIE}=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict`);
}

/**
 * A form post is the operator's own when it carries the session's CSRF token and, if the browser names
 * an Origin, comes from this host: SameSite=Strict already keeps the cookie off cross-site posts; these
 * hold even where a browser or proxy does not honour it.
 */
export function formFromSession(req: Request, session: PageSession): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false;
    }
    if (host !== req.headers.host) return false;
  }
  const given = (req.body as Record<string, unknown> | undefined)?.csrf;
  return typeof given === 'string' && sameSecret(given, session.csrf);
}
