import { describe, expect, it } from 'vitest';
import { EDGE_FAMILIES } from '../../src/analyzers/aws-iam/edges/registry.js';
import { attackUrl } from '../../src/model/attack.js';
import { ACCESS_LEVELS } from '../../src/model/properties.js';
import {
  HOP_TYPES,
  helpReferences,
  isDerived,
  RELATIONSHIP_KINDS,
  relationshipKind,
} from '../../src/model/relationship-kinds.js';

describe('relationship kinds', () => {
  it('give every derived kind an ATT&CK technique and help: general, abuse, remediation, references', () => {
    const derived = RELATIONSHIP_KINDS.filter(isDerived);
    expect(derived.map((k) => k.type)).toEqual([...HOP_TYPES, 'CAN_ACCESS', 'ADMINISTERS']);
    for (const kind of derived) {
      expect(kind.attack?.id, kind.type).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(kind.attack?.name.length, kind.type).toBeGreaterThan(5);
      for (const text of [kind.help?.general, kind.help?.abuse, kind.help?.remediation])
        expect(text?.length ?? 0, kind.type).toBeGreaterThan(80);
      expect(kind.help?.references.length ?? 0, kind.type).toBeGreaterThan(0);
      for (const r of kind.help?.references ?? []) expect(r.url, kind.type).toMatch(/^https:\/\//);
    }
  });

  it('list the ATT&CK page first among a kind’s references', () => {
    const assume = relationshipKind('CAN_ASSUME');
    expect(assume).toBeDefined();
    if (!assume) return;
    const [first, ...rest] = helpReferences(assume);
    expect(first).toEqual({
      title: 'MITRE ATT&CK T1548.005: Abuse Elevation Control Mechanism: Temporary Elevated Cloud Access',
      url: 'https://attack.mitre.org/techniques/T1548/005/',
    });
    expect(rest).toEqual(assume.help?.references);
    expect(attackUrl('T1098')).toBe('https://attack.mitre.org/techniques/T1098/');
  });

  it('declare the hop types once, by category, in the order the summary encodes them', () => {
    expect(HOP_TYPES).toEqual(RELATIONSHIP_KINDS.filter((r) => r.category === 'hop').map((r) => r.type));
    const reaches = relationshipKind('REACHES')?.properties;
    expect(reaches?.viaCode?.description).toContain(HOP_TYPES.map((t, i) => `${i + 1} ${t}`).join(', '));
    expect(reaches?.levelMask?.description).toContain(
      ACCESS_LEVELS.map((level, bit) => `${1 << bit} ${level}`).join(', '),
    );
  });

  it('are what the AWS edge families emit', () => {
    for (const family of EDGE_FAMILIES)
      for (const type of family.emits)
        expect(relationshipKind(type), `${family.name} emits ${type}`).toBeDefined();
  });
});
