import { createHmac } from 'node:crypto';
import type { Request, Response } from 'express';
import { sameSecret } from './admin.js';
import { ADMIN_PAGE_CSP, escapeHtml } from './admin-page-html.js';

/**
 * The status page's browser session and its CSRF token. The session cookie is not the admin token: it
 * is an expiry signed with it (HMAC), so a leaked cookie is worth a few hours of the page, never the
 * token that also drives the JSON admin API, and changing the token ends every session.
 *
 * The page's buttons (hand-back) POST forms. The cookie is SameSite=Strict, and on top of that each form
 * carries a CSRF token: an HMAC of the session cookie's value under the admin token, so it is valid
 * only with the session it was rendered for, needs no server-side state (any instance checks it), and
 * a page from another origin can neither read nor guess it.
 */

export const SESSION_COOKIE = 'chatbridge_admin';
export const SESSION_SECONDS = 8 * 3600;

export function sessionValue(adminToken: string, expires: number): string {
  return `${expires}.${createHmac('sha256', adminToken).update(`chatbridge-admin-page:${expires}`).digest('base64url')}`;
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function validSession(value: string | undefined, adminToken: string): value is string {
  const expires = Number(value?.split('.')[0]);
  if (!value || !Number.isInteger(expires) || expires * 1000 < Date.now()) return false;
  return sameSecret(value, sessionValue(adminToken, expires));
}

function bearerOf(req: Request): string | undefined {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function csrfFor(adminToken: string, session: string): string {
  return createHmac('sha256', adminToken).update(`chatbridge-admin-csrf:${session}`).digest('base64url');
}

/**
 * How the request proves it is an admin: a bearer token (scripts), or a valid session cookie (a
 * browser), with the CSRF token its forms must carry. Undefined: neither.
 */
export function adminCaller(req: Request, adminToken: string): { by: 'bearer' } | { by: 'session'; csrf: string } | undefined {
  const bearer = bearerOf(req);
  if (bearer !== undefined) return sameSecret(bearer, adminToken) ? { by: 'bearer' } : undefined;
  const session = cookieOf(req, SESSION_COOKIE);
  return validSession(session, adminToken) ? { by: 'session', csrf: csrfFor(adminToken, session) } : undefined;
}

/** A form post is trusted with a bearer token (no browser sends one by itself), or with its session's CSRF token. */
export function formTrusted(caller: ReturnType<typeof adminCaller>, csrf: unknown): boolean {
  if (!caller) return false;
  if (caller.by === 'bearer') return true;
  return typeof csrf === 'string' && sameSecret(csrf, caller.csrf);
}

export function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', ADMIN_PAGE_CSP);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
}

/** A one-paragraph page (a refusal, or the outcome of a button), optionally with a way back. */
export function pageMessage(res: Response, status: number, message: string, back = false): void {
  const link = back ? '<p><a href="/admin">Back to the status page</a></p>' : '';
  res.status(status).type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chatbridge status</title></head>
<body><h1>chatbridge status</h1><p>${escapeHtml(message)}</p>${link}</body></html>\n`);
}
