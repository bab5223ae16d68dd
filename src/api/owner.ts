import { OWNER_CONFIDENCES, OWNER_TYPES } from '../model/index.js';
import { OWNER_STEPS, type OwnerCandidate, parseOwnerCandidates } from '../owners/resolve.js';
import { builder } from './builder.js';
import { enumName, known } from './enums.js';
import { str } from './node.js';
import type { NodeRecord } from './records.js';

/** An identity's owner as owner resolution found it (docs/owners.md), with every source's candidate. */

const values = (list: readonly string[]) =>
  Object.fromEntries(list.map((value) => [enumName(value), { value }]));

export const OwnerTypeEnum = builder.enumType('OwnerType', {
  description: 'An owner is a team or a person.',
  values: values(OWNER_TYPES),
});

export const OwnerConfidenceEnum = builder.enumType('OwnerConfidence', {
  description: 'How much the source of an owner is to be trusted.',
  values: values(OWNER_CONFIDENCES),
});

export const OwnerStepEnum = builder.enumType('OwnerStep', {
  description:
    'Where an owner came from, in the order tried: the owners file naming the identity, its own tags and labels, Kubernetes workloads and namespace, the GCP project, the CI repository, the creator, the scope’s owner.',
  values: values(OWNER_STEPS),
});

const OwnerCandidateRef = builder.objectRef<OwnerCandidate>('OwnerCandidate').implement({
  description: 'One source naming an owner: every source is kept, so a conflict is shown, never hidden.',
  fields: (t) => ({
    owner: t.exposeString('owner'),
    type: t.field({ type: OwnerTypeEnum, resolve: (c) => known(OWNER_TYPES, c.type, 'team') }),
    step: t.field({ type: OwnerStepEnum, resolve: (c) => known(OWNER_STEPS, c.step, 'inherited') }),
    source: t.exposeString('source', {
      description: 'The evidence: which owners file rule, tag, label, CODEOWNERS line or scope.',
    }),
    confidence: t.field({
      type: OwnerConfidenceEnum,
      resolve: (c) => known(OWNER_CONFIDENCES, c.confidence, 'low'),
    }),
  }),
});

export const OwnershipRef = builder.objectRef<NodeRecord>('Ownership').implement({
  description: 'The owner of a non-human identity, its evidence, and every candidate any source named.',
  fields: (t) => ({
    owner: t.string({ resolve: (n) => str(n, 'owner') ?? '' }),
    type: t.field({ type: OwnerTypeEnum, resolve: (n) => known(OWNER_TYPES, n.props.ownerType, 'team') }),
    source: t.string({
      description: 'The evidence of the owner: which owners file rule, tag, label, CODEOWNERS line or scope.',
      resolve: (n) => str(n, 'ownerSource') ?? '',
    }),
    confidence: t.field({
      type: OwnerConfidenceEnum,
      resolve: (n) => known(OWNER_CONFIDENCES, n.props.ownerConfidence, 'low'),
    }),
    contacts: t.stringList({
      resolve: (n) => (Array.isArray(n.props.ownerContacts) ? n.props.ownerContacts.map(String) : []),
    }),
    alertRoute: t.string({
      nullable: true,
      description: 'The owner’s alert route (the owners file’s `alert`, else the owner’s name).',
      resolve: (n) => str(n, 'ownerAlertRoute'),
    }),
    conflict: t.boolean({
      description: 'True when sources naming the identity itself name different owners.',
      resolve: (n) => n.props.ownerConflict === true,
    }),
    candidates: t.field({
      type: [OwnerCandidateRef],
      description: 'Every source’s owner, in the order tried; the first is the owner.',
      resolve: (n) => parseOwnerCandidates(n.props.ownerCandidates),
    }),
  }),
});
