import type { SlackSink } from './config.js';
import { type FetchLike, postJson } from './http.js';
import { type AlertFinding, type AlertPayload, headline, subjectTarget } from './message.js';

/**
 * Slack-compatible incoming webhook: `text` (the notification line) plus Block Kit `blocks`.
 * Slack's limits (https://docs.slack.dev/reference/block-kit/blocks): at most 50 blocks per
 * message, 150 characters of header text, 3000 characters of section text; messages whose blocks
 * hold much more than ~12k characters in total are refused as well (msg_blocks_too_long), so the
 * findings shown are capped by both and the rest is summarised as "and N more".
 */

export const SLACK_MAX_BLOCKS = 50;
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const TOTAL_TEXT_BUDGET = 11_000;

interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text: TextObject }
  | { type: 'context'; elements: TextObject[] };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Slack mrkdwn needs only &, < and > escaped (https://docs.slack.dev/messaging/formatting-message-text). */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function findingSection(finding: AlertFinding): SlackBlock {
  const lines = [
    `*${finding.severity.toUpperCase()}* · *${escapeMrkdwn(finding.title)}*${finding.conditional ? ' _(conditional)_' : ''}`,
    `${escapeMrkdwn(subjectTarget(finding))}`,
    escapeMrkdwn(finding.message),
  ];
  if (finding.path) lines.push(`_path:_ ${escapeMrkdwn(finding.path)}`);
  lines.push(`_rule_ \`${finding.ruleId}\` · _fingerprint_ \`${finding.fingerprint}\``);
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), SECTION_MAX) } };
}

function blockTextLength(block: SlackBlock): number {
  return block.type === 'context'
    ? block.elements.reduce((sum, element) => sum + element.text.length, 0)
    : block.text.text.length;
}

function moreSection(count: number): SlackBlock {
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `…and ${count} more new finding${count === 1 ? '' : 's'}: see the report.`,
    },
  };
}

export function slackMessage(payload: AlertPayload): SlackMessage {
  const title = headline(payload);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, HEADER_MAX), emoji: false } },
  ];

  if (payload.event === 'job.failed') {
    const message = escapeMrkdwn(payload.error?.message ?? 'unknown error');
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `The run failed at ${payload.generatedAt}; the last good graph and report are kept.\n\`\`\`${message}\`\`\``,
          SECTION_MAX,
        ),
      },
    });
    return { text: title, blocks };
  }

  const context = [`report \`${payload.reportId}\``, `generated ${payload.generatedAt}`];
  if (payload.previousReportId) context.push(`compared with \`${payload.previousReportId}\``);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });

  let used = blocks.reduce((sum, block) => sum + blockTextLength(block), 0);
  const findings = payload.findings;
  for (const [index, finding] of findings.entries()) {
    const section = findingSection(finding);
    const remaining = findings.length - index;
    // Keep one block and some text for "and N more" unless this is the last finding.
    const reserve = remaining > 1 ? 1 : 0;
    const fits =
      blocks.length + 1 + reserve <= SLACK_MAX_BLOCKS && used + blockTextLength(section) <= TOTAL_TEXT_BUDGET;
    if (!fits) {
      blocks.push(moreSection(remaining));
      break;
    }
    blocks.push(section);
    used += blockTextLength(section);
  }
  return { text: title, blocks };
}

export async function sendSlack(
  sink: SlackSink,
  payload: AlertPayload,
  fetchImpl?: FetchLike,
): Promise<void> {
  const body = JSON.stringify(slackMessage(payload));
  await postJson(`slack sink "${sink.name}"`, sink.url, body, { 'user-agent': 'reachgraph' }, fetchImpl);
}
