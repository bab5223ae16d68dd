import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { describeProblem, invalidConfig, problemsOf } from '../../config/file.js';
import { SEVERITIES, type Severity } from '../types.js';

/**
 * Alert sinks as configured (scheduler job files, tests). Secrets are either literal values or,
 * preferably, the name of an environment variable read at delivery time; they are never logged.
 */

const SINK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const sinkName = z
  .string()
  .regex(SINK_NAME, 'expected letters, digits, ".", "_" or "-", starting with a letter or digit')
  .describe('Unique name of the sink: outcomes, logs and outbox entries refer to it.');

const envName = z.string().regex(ENV_NAME, 'expected an environment variable name such as ALERT_SECRET');

const httpUrl = z
  .string()
  .refine((value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'https:' || protocol === 'http:';
    } catch {
      return false;
    }
  }, 'expected an http(s) URL')
  .describe('Endpoint URL (treated as a secret: it is never logged).');

export const SlackSinkSchema = z
  .object({
    type: z.literal('slack'),
    name: sinkName,
    url: httpUrl.describe('Slack-compatible incoming webhook URL (treated as a secret: never logged).'),
  })
  .strict();

/** Shortest HMAC key accepted, literal or from the environment: a short key is guessed offline from one signed delivery. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

export const WebhookSinkSchema = z
  .object({
    type: z.literal('webhook'),
    name: sinkName,
    url: httpUrl,
    secret: z
      .string()
      .min(MIN_WEBHOOK_SECRET_LENGTH, `use at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`)
      .optional()
      .describe('HMAC key, literal.'),
    secretEnv: envName
      .optional()
      .describe(
        `Environment variable holding the HMAC key (at least ${MIN_WEBHOOK_SECRET_LENGTH} characters).`,
      ),
    headers: z
      .record(z.string().min(1), z.string())
      .optional()
      .describe('Extra request headers (e.g. a routing key); the signature headers cannot be overridden.'),
  })
  .strict()
  .refine((sink) => (sink.secret === undefined) !== (sink.secretEnv === undefined), {
    message: 'set exactly one of "secret" or "secretEnv": every webhook delivery is signed',
  });

export const EmailSinkSchema = z
  .object({
    type: z.literal('email'),
    name: sinkName,
    smtp: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65_535),
        secure: z
          .boolean()
          .optional()
          .describe('TLS from the first byte (port 465); else STARTTLS if offered.'),
        auth: z
          .object({
            user: z.string().min(1),
            pass: z.string().optional().describe('Password, literal.'),
            passEnv: envName.optional().describe('Environment variable holding the password.'),
          })
          .strict()
          .refine((auth) => (auth.pass === undefined) !== (auth.passEnv === undefined), {
            message: 'set exactly one of "pass" or "passEnv"',
          })
          .optional(),
      })
      .strict(),
    from: z.string().min(3).describe('Sender address, e.g. "reachgraph <alerts@example.com>".'),
    to: z.array(z.string().min(3)).min(1, 'at least one recipient').describe('Recipient addresses.'),
  })
  .strict();

export const AlertSinkSchema = z.discriminatedUnion('type', [
  SlackSinkSchema,
  WebhookSinkSchema,
  EmailSinkSchema,
]);

export const RetryPolicySchema = z
  .object({
    attempts: z.number().int().min(1).max(20).optional().describe('Tries per delivery per run (default 3).'),
    baseDelayMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .optional()
      .describe('First wait between tries; doubles each time (default 1000).'),
  })
  .strict();

export const AlertsConfigSchema = z
  .object({
    sinks: z.array(AlertSinkSchema).describe('Where alerts go; an empty list disables alerting.'),
    minSeverity: z
      .enum(SEVERITIES)
      .optional()
      .describe('Lowest severity of a new finding that alerts (default high).'),
    outbox: z
      .string()
      .min(1)
      .optional()
      .describe('Directory of undelivered alerts (default $XDG_STATE_HOME/reachgraph/outbox).'),
    retry: RetryPolicySchema.optional(),
    owners: z
      .record(z.string().min(1), z.array(sinkName).min(1))
      .optional()
      .describe(
        'Owner alert route (the owners file’s `alert`, else the owner’s name) → the sinks of that team or person (docs/owners.md). A sink named here gets only its owners’ findings; the other sinks get every alert.',
      ),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = new Set(config.sinks.map((sink) => sink.name));
    for (const [route, sinks] of Object.entries(config.owners ?? {}))
      sinks.forEach((sink, index) => {
        if (!names.has(sink))
          ctx.addIssue({
            code: 'custom',
            path: ['owners', route, index],
            message: `no sink is named "${sink}" (sinks: ${[...names].join(', ') || 'none'})`,
          });
      });
    const seen = new Set<string>();
    config.sinks.forEach((sink, index) => {
      if (seen.has(sink.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sinks', index, 'name'],
          message: `duplicate sink name "${sink.name}": names identify pending deliveries in the outbox`,
        });
      }
      seen.add(sink.name);
    });
  });

export type SlackSink = z.infer<typeof SlackSinkSchema>;
export type WebhookSink = z.infer<typeof WebhookSinkSchema>;
export type EmailSink = z.infer<typeof EmailSinkSchema>;
export type AlertSink = z.infer<typeof AlertSinkSchema>;
export type RetryPolicy = Required<z.infer<typeof RetryPolicySchema>>;
export type AlertsConfig = z.infer<typeof AlertsConfigSchema>;

export const DEFAULT_MIN_SEVERITY: Severity = 'high';
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1000 };

/** `$XDG_STATE_HOME/reachgraph/outbox`, else `~/.local/state/reachgraph/outbox`. */
export function defaultOutboxDir(env: NodeJS.ProcessEnv = process.env): string {
  const stateHome = env.XDG_STATE_HOME?.trim();
  return join(stateHome ? stateHome : join(homedir(), '.local', 'state'), 'reachgraph', 'outbox');
}

/**
 * Validates an alerts section read from a file (job files embed it: AlertsConfigSchema); the
 * error names the source and every bad field. `source` is what the caller read (a file path, "job
 * nightly"…).
 */
export function parseAlertsConfig(value: unknown, source: string): AlertsConfig {
  const parsed = AlertsConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalidConfig(source, problemsOf(parsed.error, value), {
    notation: 'dots',
    wording: {
      invalid: (name, problems, notation) =>
        `invalid alerts configuration in ${name}:\n  ${problems.map((p) => describeProblem(p, notation)).join('\n  ')}`,
    },
  });
}
