import { describe, expect, it } from 'vitest';
import { unitedLevels, unitedList } from '../../../src/model/properties.js';

describe('merged list properties', () => {
  it('unite levels once each in the vocabulary’s order, leaving out what is not a level', () => {
    expect(unitedLevels(['write', 'read'], undefined, ['tagging', 'read', 'list'])).toEqual([
      'list',
      'read',
      'write',
      'tagging',
    ]);
    expect(unitedLevels(['admin', 'read'])).toEqual(['read']);
    expect(unitedLevels()).toEqual([]);
  });

  it('unite any other list once each, sorted', () => {
    expect(unitedList('levels', ['permissions'], ['read'])).toEqual(['read', 'permissions']);
    expect(unitedList('actions', ['s3:PutObject', 's3:GetObject'], ['s3:GetObject', 'kms:Decrypt'])).toEqual([
      'kms:Decrypt',
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(unitedList('via', [], [])).toEqual([]);
  });
});
