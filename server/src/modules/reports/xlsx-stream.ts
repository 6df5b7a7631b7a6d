/**
 * An .xlsx written as it goes: a ZIP whose entries are deflated on the fly with data
 * descriptors (sizes and CRC after the data), and a worksheet of inline strings written batch by
 * batch. exceljs's "streaming" WorkbookWriter (4.4) hands its parts to JSZip, which holds the
 * whole sheet and builds the whole file in memory before the first byte leaves — a million rows
 * cost hundreds of megabytes (docs/benchmarks.md, reports-export). Here memory holds one batch.
 * Limits: no ZIP64, so an entry must stay under 4 GiB uncompressed (≈ 6 million ticket rows).
 */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';

interface Entry {
  name: Buffer;
  crc: number;
  size: number;
  compressed: number;
  offset: number;
}

const DOS_DATE = 0x21; // 1980-01-01, 00:00: the parts carry no meaningful time

function localHeader(name: Buffer): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4); // version needed
  h.writeUInt16LE(0x0808, 6); // bit 3: sizes in the data descriptor; bit 11: UTF-8 names
  h.writeUInt16LE(8, 8); // deflate
  h.writeUInt16LE(0, 10);
  h.writeUInt16LE(DOS_DATE, 12);
  // CRC and sizes (14–25) are zero: they follow the data.
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, name]);
}

function dataDescriptor(e: Entry): Buffer {
  const d = Buffer.alloc(16);
  d.writeUInt32LE(0x08074b50, 0);
  d.writeUInt32LE(e.crc >>> 0, 4);
  d.writeUInt32LE(e.compressed, 8);
  d.writeUInt32LE(e.size, 12);
  return d;
}

function centralDirectory(entries: Entry[], offset: number): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  for (const e of entries) {
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(20, 6);
    h.writeUInt16LE(0x0808, 8);
    h.writeUInt16LE(8, 10);
    h.writeUInt16LE(0, 12);
    h.writeUInt16LE(DOS_DATE, 14);
    h.writeUInt32LE(e.crc >>> 0, 16);
    h.writeUInt32LE(e.compressed, 20);
    h.writeUInt32LE(e.size, 24);
    h.writeUInt16LE(e.name.length, 28);
    h.writeUInt32LE(e.offset, 42);
    parts.push(h, e.name);
    size += h.length + e.name.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, end]);
}

/** The ZIP's bytes, entry by entry; each entry's content is deflated as it arrives. */
async function* zipChunks(
  files: { name: string; content: AsyncIterable<string> }[],
): AsyncGenerator<Buffer> {
  const entries: Entry[] = [];
  let offset = 0;
  for (const f of files) {
    const e: Entry = { name: Buffer.from(f.name), crc: 0, size: 0, compressed: 0, offset };
    const head = localHeader(e.name);
    offset += head.length;
    yield head;
    const deflate = createDeflateRaw();
    const out: Buffer[] = [];
    deflate.on('data', (c: Buffer) => out.push(c));
    const ended = once(deflate, 'end');
    const take = function* () {
      while (out.length) {
        const c = out.shift()!;
        e.compressed += c.length;
        yield c;
      }
    };
    for await (const text of f.content) {
      const b = Buffer.from(text);
      e.crc = crc32(b, e.crc);
      e.size += b.length;
      if (!deflate.write(b)) await once(deflate, 'drain');
      yield* take();
    }
    deflate.end();
    await ended;
    yield* take();
    offset += e.compressed;
    const desc = dataDescriptor(e);
    offset += desc.length;
    yield desc;
    entries.push(e);
  }
  yield centralDirectory(entries, offset);
}

// ------------------------------------------------------------------------ the workbook

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const CONTENT_TYPES = `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;
const ROOT_RELS = `${HEAD}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `${HEAD}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`;
/** Style 1: bold (the header row). */
const STYLES = `${HEAD}<styleSheet xmlns="${NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

const workbook = (sheet: string) =>
  `${HEAD}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="${escapeXml(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;

/** XML text: escaped, without the control characters XML 1.0 cannot carry. */
function escapeXml(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/** A, B, …, Z, AA, … */
function columnName(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export type Cell = string | number | null;

function rowXml(r: number, cells: Cell[], style = 0): string {
  let x = `<row r="${r}">`;
  cells.forEach((v, i) => {
    if (v === null) return;
    const ref = `${columnName(i)}${r}`;
    const s = style ? ` s="${style}"` : '';
    x +=
      typeof v === 'number' && Number.isFinite(v)
        ? `<c r="${ref}"${s}><v>${v}</v></c>`
        : `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${escapeXml(String(v))}</t></is></c>`;
  });
  return `${x}</row>`;
}

async function* sheetXml(
  headers: string[],
  rows: AsyncIterable<Cell[][]>,
  width: number,
): AsyncGenerator<string> {
  yield `${HEAD}<worksheet xmlns="${NS}" xmlns:r="${REL}"><cols><col min="1" max="${headers.length}" width="${width}" customWidth="1"/></cols><sheetData>${rowXml(1, headers, 1)}`;
  let r = 1;
  for await (const batch of rows) {
    let x = '';
    for (const cells of batch) x += rowXml(++r, cells);
    yield x;
  }
  yield '</sheetData></worksheet>';
}

async function* one(s: string): AsyncGenerator<string> {
  yield s;
}

/**
 * A one-sheet workbook: a bold header row, then the rows batch by batch. The returned stream
 * pulls the next batch only when its reader wants more (backpressure), and destroying it ends
 * the batches (their `return()` runs: a database cursor is closed).
 */
export function xlsxWorkbookStream(
  sheet: string,
  headers: string[],
  rows: AsyncIterable<Cell[][]>,
  width = 18,
): Readable {
  return Readable.from(
    zipChunks([
      { name: '[Content_Types].xml', content: one(CONTENT_TYPES) },
      { name: '_rels/.rels', content: one(ROOT_RELS) },
      { name: 'xl/workbook.xml', content: one(workbook(sheet)) },
      { name: 'xl/_rels/workbook.xml.rels', content: one(WORKBOOK_RELS) },
      { name: 'xl/styles.xml', content: one(STYLES) },
      { name: 'xl/worksheets/sheet1.xml', content: sheetXml(headers, rows, width) },
    ]),
    { objectMode: false },
  );
}
