import { type AttackTechnique, attackUrl } from '../model/attack.js';
import {
  helpReferences,
  RELATIONSHIP_CATEGORIES,
  RELATIONSHIP_CATEGORY_MEANINGS,
  RELATIONSHIP_KINDS,
  type Reference,
  type RelationshipHelp,
  type RelationshipKindSpec,
  relationshipKind,
} from '../model/relationship-kinds.js';
import { builder } from './builder.js';
import { enumName } from './enums.js';

/**
 * The vocabulary's relationship kinds as the API shows them: meaning, ATT&CK technique and help,
 * read from src/model (no graph query). `Edge.kind` and `FindingHop.kind` answer with them.
 */

export const RelationshipCategoryEnum = builder.enumType('RelationshipCategory', {
  description: 'What role a relationship kind plays in the graph.',
  values: Object.fromEntries(
    RELATIONSHIP_CATEGORIES.map((category) => [
      enumName(category),
      { value: category, description: RELATIONSHIP_CATEGORY_MEANINGS[category] },
    ]),
  ),
});

const AttackTechniqueRef = builder.objectRef<AttackTechnique>('AttackTechnique').implement({
  description: 'A MITRE ATT&CK Enterprise technique or sub-technique.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'e.g. T1548.005.' }),
    name: t.exposeString('name'),
    url: t.string({ description: 'Its page on attack.mitre.org.', resolve: (a) => attackUrl(a.id) }),
  }),
});

const HelpReferenceRef = builder.objectRef<Reference>('HelpReference').implement({
  fields: (t) => ({ title: t.exposeString('title'), url: t.exposeString('url') }),
});

type KindWithHelp = RelationshipKindSpec & { help: RelationshipHelp };

const RelationshipHelpRef = builder.objectRef<KindWithHelp>('RelationshipHelp').implement({
  description: 'What an edge means, how an attacker uses it, how to remove it.',
  fields: (t) => ({
    general: t.string({ resolve: (k) => k.help.general }),
    abuse: t.string({
      description: 'How an attacker who holds the source uses it.',
      resolve: (k) => k.help.abuse,
    }),
    remediation: t.string({ description: 'How to remove or narrow it.', resolve: (k) => k.help.remediation }),
    references: t.field({
      type: [HelpReferenceRef],
      description: 'The ATT&CK page first, then the providers’ documentation.',
      resolve: helpReferences,
    }),
  }),
});

export const RelationshipKindRef = builder.objectRef<RelationshipKindSpec>('RelationshipKind').implement({
  description: 'A relationship type of the graph, as the vocabulary declares it.',
  fields: (t) => ({
    type: t.exposeString('type'),
    category: t.field({ type: RelationshipCategoryEnum, resolve: (k) => k.category }),
    from: t.stringList({
      description: 'Labels the source node carries one of (`*`: any).',
      resolve: (k) => [...k.from],
    }),
    to: t.stringList({ description: 'Labels the target node carries one of.', resolve: (k) => [...k.to] }),
    meaning: t.exposeString('meaning'),
    attack: t.field({
      type: AttackTechniqueRef,
      nullable: true,
      description: 'The ATT&CK technique an attacker uses when following the edge, where one fits.',
      resolve: (k) => k.attack ?? null,
    }),
    help: t.field({
      type: RelationshipHelpRef,
      nullable: true,
      description: 'Declared for every hop and terminal kind.',
      resolve: (k) => (k.help ? (k as KindWithHelp) : null),
    }),
  }),
});

/** The kind of a stored type; null for a type the vocabulary no longer declares. */
export function kindOf(type: string): RelationshipKindSpec | null {
  return relationshipKind(type) ?? null;
}

builder.queryField('relationshipKinds', (t) =>
  t.field({
    type: [RelationshipKindRef],
    description: 'The relationship kinds of the graph with their meaning, ATT&CK technique and help.',
    args: {
      categories: t.arg({ type: [RelationshipCategoryEnum], description: 'Default: every category.' }),
    },
    resolve: (_root, args) =>
      RELATIONSHIP_KINDS.filter((k) => !args.categories?.length || args.categories.includes(k.category)),
  }),
);
