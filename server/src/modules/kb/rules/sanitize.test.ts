import { describe, expect, it } from 'vitest';
import { isOwnImage, sanitizeMarkdown } from './sanitize.js';

const OWN = '/api/v1/kb/images/0b8a4c2e-6f1d-4a5b-9c3e-2d7f8e9a1b0c';

describe('sanitizeMarkdown', () => {
  it('keeps ordinary Markdown and safe inline HTML as written', () => {
    const md =
      '# 退货\n\n签收 **7 天**内可申请。<br>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<kbd>Ctrl</kbd>';
    expect(sanitizeMarkdown(md)).toBe(md);
  });

  it('drops style and event attributes, forms, frames, scripts and style sheets', () => {
    const out = sanitizeMarkdown(
      '<div style="position:fixed;inset:0;z-index:9999" onclick="x()">Win!</div>\n' +
        '<form action="https://evil.example/login"><input name="password"><button>Go</button></form>\n' +
        '<style>body{display:none}</style><script>alert(1)</script><iframe src="https://x"></iframe>\n' +
        '<a href="javascript:alert(1)" style="color:red">link</a> <a href="https://kefu.dev">ok</a>',
    );
    expect(out).not.toMatch(
      /style|onclick|<form|<input|<button|<script|<iframe|javascript:|password/i,
    );
    expect(out).toContain('<div>Win!</div>');
    expect(out).toContain('<a>link</a>');
    expect(out).toContain('<a href="https://kefu.dev">ok</a>');
  });

  it('keeps images only from the knowledge base’s own uploads', () => {
    expect(isOwnImage(OWN)).toBe(true);
    const out = sanitizeMarkdown(
      `![ours](${OWN}) ![tracker](https://evil.example/p.gif) <img src="https://evil.example/x.png" alt="x"> <img src="${OWN}" alt="y" style="width:100vw">\n\n![ref][r]\n\n[r]: https://evil.example/r.png`,
    );
    expect(out).toContain(`![ours](${OWN})`);
    expect(out).toContain(`<img src="${OWN}" alt="y">`);
    expect(out).not.toContain('evil.example');
    expect(out).toContain('tracker');
  });

  it('leaves code exactly as written', () => {
    const md =
      'Use `<form style="x">` like this:\n\n```html\n<form style="a"><img src="https://x/y.png"></form>\n```\n';
    expect(sanitizeMarkdown(md)).toBe(md);
  });
});
