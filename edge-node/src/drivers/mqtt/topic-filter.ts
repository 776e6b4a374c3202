/**
 * Returns whether an MQTT topic matches a subscription filter with `+` (one level) and `#` (the rest,
 * including the parent level), as MQTT 3.1.1 section 4.7 defines. Topics starting with `$` match no
 * filter that starts with a wildcard.
 */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  for (let i = 0; i < filterLevels.length; i++) {
    const level = filterLevels[i];
    if (level === '#') return true;
    if (i >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
}
