import { describe, expect, it } from 'vitest';
import { detectType, judgeUpload, servedType, type Sniffed } from './content-type.js';
import {
  contentDisposition,
  extensionOf,
  MAX_FILENAME_LENGTH,
  sanitizeFilename,
} from './filename.js';

const ALLOWED = [
  'image/png',
  'image/jpeg',
  'application/pdf',
  'application/msword',
  'application/zip',
  'text/plain',
  'text/csv',
];

const sniffed = (s: Partial<Sniffed>): Sniffed => ({
  declared: 'application/octet-stream',
  filename: 'file',
  utf8: false,
  head: '',
  ...s,
});

describe('sanitizeFilename', () => {
  it.each([
    ['报价单.pdf', '报价单.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.docx', 'report.docx'],
    ['  spaced   out  name .txt ', 'spaced out name .txt'],
    ['.htaccess', 'htaccess'],
    ['trailing dots...', 'trailing dots'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['tab\tand\nnewline.txt', 'tab and newline.txt'],
    ['bell\u0007.txt', 'bell.txt'],
    ['invoice\u202efdp.exe', 'invoicefdp.exe'],
    ['zero\u200bwidth.png', 'zerowidth.png'],
    ['CON', '_CON'],
    ['lpt1.txt', '_lpt1.txt'],
    ['console.log', 'console.log'],
    ['', 'file'],
    ['...', 'file'],
    ['/', 'file'],
    ['e\u0301te\u0301.txt', 'été.txt'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFilename(raw)).toBe(expected);
  });

  it('cuts long names to the limit in code points, keeping the extension', () => {
    const name = sanitizeFilename(`${'长'.repeat(300)}.xlsx`);
    expect(Array.from(name)).toHaveLength(MAX_FILENAME_LENGTH);
    expect(name.endsWith('长.xlsx')).toBe(true);
    const emoji = sanitizeFilename(`${'😀'.repeat(200)}`);
    expect(Array.from(emoji)).toHaveLength(MAX_FILENAME_LENGTH);
    expect(emoji).toBe('😀'.repeat(MAX_FILENAME_LENGTH)); // no broken surrogate pairs
    const longExt = sanitizeFilename(`a.${'x'.repeat(200)}`);
    expect(Array.from(longExt)).toHaveLength(MAX_FILENAME_LENGTH);
  });

  it('uses the fallback when nothing is left', () => {
    expect(sanitizeFilename('\u202e', 'image')).toBe('image');
  });
});

describe('extensionOf', () => {
  it.each([
    ['a.PDF', 'pdf'],
    ['archive.tar.gz', 'gz'],
    ['noext', ''],
    ['.hidden', ''],
  ])('%j → %j', (name, ext) => expect(extensionOf(name)).toBe(ext));
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('attachment', '报价 单(1).pdf')).toBe(
      `attachment; filename="__ _(1).pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%20%E5%8D%95%281%29.pdf`,
    );
    expect(contentDisposition('inline', "it's.png")).toBe(
      `inline; filename="it's.png"; filename*=UTF-8''it%27s.png`,
    );
  });

  it('never lets quotes, backslashes or percent signs into the quoted fallback', () => {
    const header = contentDisposition('attachment', 'a"b\\c%d.txt');
    expect(header).toContain('filename="a_b_c_d.txt"');
    expect(header).toContain("filename*=UTF-8''a%22b%5Cc%25d.txt");
  });
});

describe('detectType', () => {
  it('trusts magic bytes over the name and the declared type', () => {
    expect(detectType(sniffed({ magic: 'application/x-msdownload', declared: 'image/png' }))).toBe(
      'application/x-msdownload',
    );
    expect(detectType(sniffed({ magic: 'image/png', declared: 'text/plain' }))).toBe('image/png');
  });

  it('tells legacy Office files apart by declared type, then by extension', () => {
    const cfb = 'application/x-cfb';
    expect(detectType(sniffed({ magic: cfb, declared: 'application/vnd.ms-excel' }))).toBe(
      'application/vnd.ms-excel',
    );
    expect(detectType(sniffed({ magic: cfb, filename: 'old.doc' }))).toBe('application/msword');
    expect(detectType(sniffed({ magic: cfb, filename: 'deck.ppt' }))).toBe(
      'application/vnd.ms-powerpoint',
    );
    expect(detectType(sniffed({ magic: cfb, filename: 'thing.msi' }))).toBe(cfb);
  });

  it('calls content without magic text only when it is UTF-8', () => {
    expect(detectType(sniffed({ utf8: false }))).toBe('application/octet-stream');
    expect(detectType(sniffed({ utf8: true, head: '你好' }))).toBe('text/plain');
    expect(detectType(sniffed({ utf8: true, declared: 'text/csv' }))).toBe('text/csv');
    expect(detectType(sniffed({ utf8: true, filename: 'list.CSV' }))).toBe('text/csv');
  });

  it.each([
    '<!DOCTYPE html><p>x',
    '  \n<html>',
    '<script>alert(1)</script>',
    '<svg onload=alert(1)>',
    '<?xml version="1.0"?><svg/>',
    '<iframe src=x>',
    '<!-- comment --><b>',
  ])('sees markup in %j', (head) => {
    expect(detectType(sniffed({ utf8: true, head }))).toBe('text/html');
  });

  it('does not mistake text mentioning tags for markup', () => {
    expect(detectType(sniffed({ utf8: true, head: 'Use <html> tags carefully' }))).toBe(
      'text/plain',
    );
  });
});

describe('judgeUpload', () => {
  it('accepts allowed types detected from content', () => {
    expect(judgeUpload(sniffed({ magic: 'image/png' }), ALLOWED)).toEqual({
      ok: true,
      mime: 'image/png',
    });
    expect(
      judgeUpload(sniffed({ magic: 'application/x-cfb', filename: 'a.doc' }), ALLOWED),
    ).toEqual({ ok: true, mime: 'application/msword' });
  });

  it('refuses types not on the list, answering what was detected', () => {
    expect(
      judgeUpload(sniffed({ magic: 'application/x-msdownload', declared: 'image/png' }), ALLOWED),
    ).toEqual({ ok: false, detected: 'application/x-msdownload' });
    expect(
      judgeUpload(sniffed({ utf8: true, head: '<html>', declared: 'image/png' }), ALLOWED),
    ).toEqual({ ok: false, detected: 'text/html' });
    expect(
      judgeUpload(sniffed({ utf8: true, head: '<html>', declared: 'text/plain' }), ALLOWED),
    ).toEqual({ ok: false, detected: 'text/html' });
    expect(judgeUpload(sniffed({}), ALLOWED)).toEqual({
      ok: false,
      detected: 'application/octet-stream',
    });
  });

  it('accepts text only when it is declared as text', () => {
    const text = { utf8: true, head: 'hello' };
    expect(judgeUpload(sniffed({ ...text, declared: 'text/plain' }), ALLOWED)).toEqual({
      ok: true,
      mime: 'text/plain',
    });
    expect(judgeUpload(sniffed({ ...text, declared: 'image/png' }), ALLOWED)).toEqual({
      ok: false,
      detected: 'text/plain',
    });
    expect(
      judgeUpload(
        sniffed({ ...text, declared: 'application/octet-stream', filename: 'x.bin' }),
        ALLOWED,
      ),
    ).toEqual({ ok: false, detected: 'text/plain' });
    // Windows browsers label .csv files as Excel and .txt sometimes as octet-stream.
    expect(
      judgeUpload(
        sniffed({ ...text, declared: 'application/vnd.ms-excel', filename: 'a.csv' }),
        ALLOWED,
      ),
    ).toEqual({ ok: true, mime: 'text/csv' });
    expect(
      judgeUpload(
        sniffed({ ...text, declared: 'application/octet-stream', filename: 'a.txt' }),
        ALLOWED,
      ),
    ).toEqual({ ok: true, mime: 'text/plain' });
  });

  it('refuses text when the list does not allow it', () => {
    expect(judgeUpload(sniffed({ utf8: true, declared: 'text/plain' }), ['image/png'])).toEqual({
      ok: false,
      detected: 'text/plain',
    });
  });

  it('accepts only images when asked to', () => {
    expect(judgeUpload(sniffed({ magic: 'image/jpeg' }), ALLOWED, { imagesOnly: true })).toEqual({
      ok: true,
      mime: 'image/jpeg',
    });
    expect(
      judgeUpload(sniffed({ magic: 'application/pdf' }), ALLOWED, { imagesOnly: true }),
    ).toEqual({ ok: false, detected: 'application/pdf' });
    expect(judgeUpload(sniffed({ magic: 'image/webp' }), ALLOWED, { imagesOnly: true })).toEqual({
      ok: false,
      detected: 'image/webp',
    });
  });
});

describe('servedType', () => {
  it('adds the charset to text only', () => {
    expect(servedType('text/csv')).toBe('text/csv; charset=utf-8');
    expect(servedType('image/png')).toBe('image/png');
  });
});
