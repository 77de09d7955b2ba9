import { describe, expect, it } from 'vitest';
import { jinjaList, jinjaString, sqlString } from '../../src/emit/quote.js';

describe('quoting spec values', () => {
  it('makes Jinja string literals that survive quotes and backslashes', () => {
    expect(jinjaString("o'brien@x.com")).toBe("'o\\'brien@x.com'");
    expect(jinjaString('.*@example\\.com$')).toBe("'.*@example\\\\.com$'");
    expect(jinjaList(['a', "b'c"])).toBe("['a', 'b\\'c']");
    expect(jinjaList([])).toBe('[]');
  });

  it('makes SQL string literals with doubled quotes, null for empty, raw-wrapped Jinja', () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlString('')).toBe('null');
    expect(sqlString("{{ var('x') }}")).toBe("{% raw %}'{{ var(''x'') }}'{% endraw %}");
  });
});
