import { describe, expect, it } from 'vitest';
import { topicMatchesFilter } from '../../../src/drivers/mqtt/topic-filter';

describe('topicMatchesFilter', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['+/b', 'a/b', true],
    ['a/+/c', 'a/x/c', true],
    ['a/b', 'a/c', false],
    ['a/b/c', 'a/b', false],
    ['#', '$SYS/broker/uptime', false],
    ['+/broker', '$SYS/broker', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
  ])('%s against %s is %s', (filter, topic, expected) => {
    expect(topicMatchesFilter(filter, topic)).toBe(expected);
  });
});
