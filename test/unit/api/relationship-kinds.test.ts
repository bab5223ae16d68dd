import { afterAll, describe, expect, it } from 'vitest';
import { HOP_TYPES, RELATIONSHIP_KINDS } from '../../../src/model/relationship-kinds.js';
import { neo4jQueryCount, offlineApi, post } from './helpers.js';

const api = offlineApi();
afterAll(() => api.executor.close());

const QUERY = `query($categories: [RelationshipCategory!]) {
  relationshipKinds(categories: $categories) {
    type category meaning attack { id name url } help { general abuse remediation references { title url } }
  }
}`;

describe('relationshipKinds', () => {
  it('answers from the vocabulary without touching the graph', async () => {
    const body = await (await post(api, QUERY)).json();
    expect(body.errors).toBeUndefined();
    expect(body.data.relationshipKinds.map((k: { type: string }) => k.type)).toEqual(
      RELATIONSHIP_KINDS.map((k) => k.type),
    );
    expect(await neo4jQueryCount(api)).toBe(0);
  });

  it('gives each hop its ATT&CK technique and help, the ATT&CK page first among the references', async () => {
    const body = await (await post(api, QUERY, { variables: { categories: ['HOP'] } })).json();
    const kinds = body.data.relationshipKinds;
    expect(kinds.map((k: { type: string }) => k.type)).toEqual(HOP_TYPES);
    const federates = kinds.find((k: { type: string }) => k.type === 'FEDERATES_TO');
    expect(federates.category).toBe('HOP');
    expect(federates.attack).toEqual({
      id: 'T1550.001',
      name: 'Use Alternate Authentication Material: Application Access Token',
      url: 'https://attack.mitre.org/techniques/T1550/001/',
    });
    expect(federates.help.abuse).toMatch(/AssumeRoleWithWebIdentity/);
    expect(federates.help.remediation).toMatch(/aud/);
    expect(federates.help.references[0]).toEqual({
      title: 'MITRE ATT&CK T1550.001: Use Alternate Authentication Material: Application Access Token',
      url: 'https://attack.mitre.org/techniques/T1550/001/',
    });
    expect(federates.help.references.length).toBeGreaterThan(1);
  });

  it('leaves help and ATT&CK empty for structural kinds that declare none', async () => {
    const body = await (await post(api, QUERY, { variables: { categories: ['STRUCTURAL'] } })).json();
    const member = body.data.relationshipKinds.find((k: { type: string }) => k.type === 'MEMBER_OF');
    expect(member).toMatchObject({
      category: 'STRUCTURAL',
      meaning: 'Group membership.',
      attack: null,
      help: null,
    });
  });
});
