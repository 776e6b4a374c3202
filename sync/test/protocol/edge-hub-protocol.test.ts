import { describe, expect, it } from 'vitest';
import {
  checkEdgeProtocol,
  checkHubProtocol,
  EDGE_HUB_PROTOCOL_VERSION,
  HUB_SUPPORTED_EDGE_PROTOCOLS,
  parseProtocolHeader,
  parseProtocolRangeHeader,
  PROTOCOL_VERSION_WITHOUT_HEADER,
} from '../../src/index';

describe('protocol header', () => {
  it('treats a missing header as version 1', () => {
    expect(parseProtocolHeader(undefined)).toBe(PROTOCOL_VERSION_WITHOUT_HEADER);
    expect(parseProtocolHeader(null)).toBe(1);
  });

  it.each([
    ['2', 2],
    [' 3 ', 3],
    ['0', null],
    ['-1', null],
    ['1.0', null],
    ['abc', null],
    ['', null],
    ['9999999999', null],
  ])('parses %j as %j', (value, expected) => {
    expect(parseProtocolHeader(value)).toBe(expected);
  });
});

describe('protocol compatibility', () => {
  it('accepts the current version on both sides', () => {
    expect(checkEdgeProtocol(EDGE_HUB_PROTOCOL_VERSION)).toEqual({ compatible: true });
    expect(checkHubProtocol(EDGE_HUB_PROTOCOL_VERSION)).toEqual({ compatible: true });
  });

  it('older edge needs an edge update', () => {
    const result = checkEdgeProtocol(1, { min: 2, max: 3 });
    expect(result).toEqual({
      compatible: false,
      update: 'edge node',
      message: 'edge protocol 1 is not supported: this hub speaks 2..3; update the edge node',
    });
  });

  it('newer edge needs a hub update', () => {
    const result = checkEdgeProtocol(HUB_SUPPORTED_EDGE_PROTOCOLS.max + 1);
    expect(result.compatible).toBe(false);
    if (result.compatible) return;
    expect(result.update).toBe('hub');
    expect(result.message).toBe(`edge protocol ${HUB_SUPPORTED_EDGE_PROTOCOLS.max + 1} is not supported: this hub speaks 1; update the hub`);
  });

  it('names both versions when the edge checks a newer hub', () => {
    const result = checkHubProtocol(5, { min: 1, max: 2 });
    expect(result).toEqual({ compatible: false, update: 'edge node', message: 'hub protocol 5 is not supported: this edge node speaks 1..2; update the edge node' });
  });

  it('older hub needs a hub update', () => {
    const result = checkHubProtocol(1, { min: 2, max: 2 });
    expect(result).toMatchObject({ compatible: false, update: 'hub' });
  });
});

describe('protocol range header', () => {
  it.each([
    [undefined, { min: 1, max: 1 }],
    ['1', { min: 1, max: 1 }],
    ['1..3', { min: 1, max: 3 }],
    ['3..1', null],
    ['1..2..3', null],
    ['x..2', null],
  ])('parses %j as %j', (value, expected) => {
    expect(parseProtocolRangeHeader(value)).toEqual(expected);
  });
});
