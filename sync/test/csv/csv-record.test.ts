import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../../src/csv/csv-record';

describe('csvField', () => {
  const cases: { name: string; value: string | null; expected: string }[] = [
    { name: 'null as an empty field', value: null, expected: '' },
    { name: 'plain text unchanged', value: 'site.update', expected: 'site.update' },
    { name: 'a comma quoted', value: 'a,b', expected: '"a,b"' },
    { name: 'a quote doubled', value: 'say "hi"', expected: '"say ""hi"""' },
    { name: 'a line feed quoted', value: 'a\nb', expected: '"a\nb"' },
    { name: 'an equals sign prefixed', value: '=1+1', expected: "'=1+1" },
    { name: 'a plus sign prefixed', value: '+1', expected: "'+1" },
    { name: 'a minus sign prefixed', value: '-1', expected: "'-1" },
    { name: 'an at sign prefixed', value: '@SUM(A1)', expected: "'@SUM(A1)" },
    { name: 'a tab prefixed', value: '\tx', expected: "'\tx" },
    { name: 'a carriage return prefixed and quoted', value: '\rx', expected: `"'\rx"` },
    { name: 'a formula with a comma prefixed and quoted', value: '=HYPERLINK("x","y")', expected: `"'=HYPERLINK(""x"",""y"")"` },
    { name: 'an equals sign later unchanged', value: 'a=b', expected: 'a=b' },
  ];

  for (const { name, value, expected } of cases) {
    it(`encodes ${name}`, () => {
      expect(csvField(value)).toBe(expected);
    });
  }
});

describe('csvRecord', () => {
  it('joins fields and ends with CRLF', () => {
    expect(csvRecord(['a', null, 'b,c'])).toBe('a,,"b,c"\r\n');
  });

  it('writes negative numbers unquoted', () => {
    expect(csvRecord(['-5', -5, -0.25])).toBe("'-5,-5,-0.25\r\n");
  });
});
