import nodemailer from 'nodemailer';
import type { EmailSink } from './config.js';
import { type AlertFinding, type AlertPayload, headline, subjectTarget } from './message.js';
import { DeliveryError } from './retry.js';

/** Email over SMTP (nodemailer): a plain-text body and a simple HTML alternative. */

/** Findings listed in one email; the rest are counted ("and N more"). */
export const EMAIL_MAX_FINDINGS = 100;
const SMTP_TIMEOUT_MS = 15_000;

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function findingText(finding: AlertFinding): string {
  const lines = [
    `[${finding.severity.toUpperCase()}] ${finding.title}${finding.conditional ? ' (conditional)' : ''}`,
    `  ${subjectTarget(finding)}`,
    `  ${finding.message}`,
  ];
  if (finding.path) lines.push(`  path: ${finding.path}`);
  lines.push(`  rule ${finding.ruleId}, fingerprint ${finding.fingerprint}`);
  return lines.join('\n');
}

function findingHtml(finding: AlertFinding): string {
  const cells = [
    `<strong>${escapeHtml(finding.severity.toUpperCase())}</strong>`,
    `${escapeHtml(finding.title)}${finding.conditional ? ' <em>(conditional)</em>' : ''}`,
    escapeHtml(subjectTarget(finding)),
    `${escapeHtml(finding.message)}${finding.path ? `<br><small>path: ${escapeHtml(finding.path)}</small>` : ''}`,
    `<code>${escapeHtml(finding.ruleId)}</code><br><small><code>${escapeHtml(finding.fingerprint)}</code></small>`,
  ];
  return `<tr>${cells.map((cell) => `<td style="padding:4px 8px;vertical-align:top">${cell}</td>`).join('')}</tr>`;
}

export function emailContent(payload: AlertPayload): EmailContent {
  const subject = headline(payload);
  if (payload.event === 'job.failed') {
    const message = payload.error?.message ?? 'unknown error';
    const when = `The run failed at ${payload.generatedAt}; the last good graph and report are kept.`;
    return {
      subject,
      text: `${when}\n\nError: ${message}\n`,
      html: `<p>${escapeHtml(when)}</p><pre>${escapeHtml(message)}</pre>`,
    };
  }

  const shown = payload.findings.slice(0, EMAIL_MAX_FINDINGS);
  const more = payload.findings.length - shown.length;
  const intro = `New findings at or above ${payload.minSeverity ?? 'high'} severity in report ${payload.reportId} (generated ${payload.generatedAt})${payload.previousReportId ? `, compared with report ${payload.previousReportId}` : ''}.`;
  const moreLine = more > 0 ? `…and ${more} more: see the report.` : '';
  const text = [intro, '', ...shown.map(findingText).flatMap((block) => [block, '']), moreLine]
    .join('\n')
    .trimEnd();
  const header = ['Severity', 'Finding', 'Subject → target', 'Detail', 'Rule']
    .map((label) => `<th style="text-align:left;padding:4px 8px">${label}</th>`)
    .join('');
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    `<table style="border-collapse:collapse"><thead><tr>${header}</tr></thead><tbody>`,
    ...shown.map(findingHtml),
    '</tbody></table>',
    moreLine ? `<p>${escapeHtml(moreLine)}</p>` : '',
  ].join('\n');
  return { subject, text: `${text}\n`, html };
}

/** The SMTP password: the literal `pass`, or the environment variable `passEnv` read now. */
function smtpPassword(sink: EmailSink, env: NodeJS.ProcessEnv): string | undefined {
  const auth = sink.smtp.auth;
  if (!auth) return undefined;
  if (auth.pass !== undefined) return auth.pass;
  const value = auth.passEnv ? env[auth.passEnv] : undefined;
  if (!value) {
    throw new DeliveryError(
      `email sink "${sink.name}": environment variable ${auth.passEnv} is not set`,
      false,
    );
  }
  return value;
}

/** SMTP 5xx replies are permanent (RFC 5321 §4.2.1); connection problems and 4xx are worth a retry. */
function smtpError(sink: EmailSink, error: unknown): DeliveryError {
  const details = error as { responseCode?: unknown; code?: unknown; message?: unknown };
  const responseCode = typeof details.responseCode === 'number' ? details.responseCode : undefined;
  const code = typeof details.code === 'string' ? details.code : undefined;
  const reason = [code, responseCode, typeof details.message === 'string' ? details.message : undefined]
    .filter((part) => part !== undefined)
    .join(' ');
  const permanent = responseCode !== undefined && responseCode >= 500 && responseCode < 600;
  return new DeliveryError(`email sink "${sink.name}": ${reason || 'delivery failed'}`, !permanent);
}

export async function sendEmail(
  sink: EmailSink,
  payload: AlertPayload,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const pass = smtpPassword(sink, env);
  const transport = nodemailer.createTransport({
    host: sink.smtp.host,
    port: sink.smtp.port,
    secure: sink.smtp.secure ?? false,
    ...(sink.smtp.auth ? { auth: { user: sink.smtp.auth.user, pass } } : {}),
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  const content = emailContent(payload);
  try {
    await transport.sendMail({
      from: sink.from,
      to: sink.to,
      subject: content.subject,
      text: content.text,
      html: content.html,
    });
  } catch (error) {
    throw smtpError(sink, error);
  } finally {
    transport.close();
  }
}
