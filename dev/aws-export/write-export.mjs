#!/usr/bin/env node
// Writes a table export in the layout DynamoDB's own "Export to S3" writes, from DynamoDB JSON records,
// with none of dynamo's code: dynamo's import is tested against this independent writer.
//
//   node dev/aws-export/write-export.mjs --out DIR --format DYNAMODB_JSON|ION --type FULL_EXPORT|INCREMENTAL_EXPORT
//        --files N --items ITEMS.jsonl [--export-id ID] [--table-arn ARN] [--export-time ISO]
//        [--export-from-time ISO] [--s3-prefix PREFIX] [--s3-bucket NAME] [--view-type NEW_AND_OLD_IMAGES|NEW_IMAGE]
//        [--checksum-files md5|checksum|both|none] [--etag multipart|single] [--ion-integers] [--plain]
//
// DIR stands for s3://BUCKET/PREFIX/ (what `aws s3 sync s3://BUCKET/PREFIX/ DIR` would give). Prints the
// export's directory, DIR/AWSDynamoDB/<ExportId>, on stdout. Exit 2: bad arguments or input; 1: anything else.
//
// ITEMS.jsonl, one record a line, in DynamoDB JSON: for a full export {"Item":{...}}; for an incremental export
// {"Keys":{...},"NewImage":{...},"OldImage":{...},"WriteTimestampMicros":"1700000000000000"} (no NewImage = a delete).
//
// What this relies on, with where it was learned:
// - Developer guide, "DynamoDB table export output format" (S3DataExport.Output): the manifests and their checksum
//   files sit in export-prefix/AWSDynamoDB/<ExportId>/ beside an empty "_started" object written when the export
//   begins. A full export's data objects are export-prefix/AWSDynamoDB/<ExportId>/data/<name>.json.gz (or .ion.gz),
//   gzip, one record a line; at least one file per partition, and an empty partition still gets a (gzip) file.
//   manifest-files.json is JSON lines, one object per data file: itemCount, md5Checksum, etag, dataFileS3Key.
//   The summary's example lists version "2020-06-30", exportArn, startTime, endTime, tableArn, tableId, exportTime,
//   s3Bucket, s3Prefix, s3SseAlgorithm, s3SseKmsKeyId, manifestFilesS3Key, billedSizeBytes, itemCount, outputFormat.
//   DynamoDB JSON lines are {"Item":{...}} with DynamoDB's typed values. Ion lines start with the version marker
//   $ion_1_0 followed by {Item:{...}}; S is an Ion string, N a decimal, B a blob, BOOL a bool, L a list, M a struct,
//   and SS/NS/BS a list annotated $dynamodb_SS / $dynamodb_NS / $dynamodb_BS. The guide's Ion example writes the
//   numbers 103, 600 and 2000 as 103. 6d2 2d3: decimals, with trailing zeros moved into the exponent.
// - A real export published in github.com/gurre/ddb-pitr (s3exportdata/, one full and two incremental exports)
//   shows what the guide leaves out, and this script copies it:
//   * the checksum files are named manifest-files.md5 and manifest-summary.md5 (not ".checksum" as the guide's
//     list says) and hold the base64 MD5 of the manifest's bytes, 24 characters, no newline (verified: the
//     base64 MD5 of its manifest-files.json is what its manifest-files.md5 holds; AWS's own files hold no more);
//   * md5Checksum is the base64 MD5 of the data object as stored (gzip bytes); etag is the S3 ETag of a
//     one-part multipart upload: hex MD5 of the 16-byte MD5, then "-1" (verified on two of its files);
//   * an empty data file is the 20-byte gzip of nothing with the header's OS byte 255, as Java's GZIPOutputStream
//     writes it (its MD5 is the one in the manifest); we write gzip with the same header, so empty files match;
//   * manifests are compact JSON; manifest-files.json ends each line with "\n"; s3Prefix is null without a prefix;
//     dataFileS3Key and manifestFilesS3Key are keys from the bucket root (the prefix included);
//   * ExportId is "0" + the start time in epoch milliseconds (13 digits) + "-" + 8 hex digits, and exportArn is
//     tableArn + "/export/" + ExportId;
//   * a full export's summary has no exportType; an incremental export's summary has version "2023-08-01",
//     exportFromTime and exportToTime instead of exportTime, then after outputFormat: outputView
//     (NEW_AND_OLD_IMAGES or NEW_IMAGE) and exportType "INCREMENTAL_EXPORT"; its billedSizeBytes was 10000000
//     (incremental exports bill at least 10 MB);
//   * an incremental export's data objects are in the SHARED folder export-prefix/AWSDynamoDB/data/ (not under
//     its ExportId); only its manifest says which files are its own.
// - Incremental records (DynamoDB JSON), as readers of real exports parse them (Glue schemas, Spark jobs):
//   {"Metadata":{"WriteTimestampMicros":{"N":"..."}},"Keys":{...},"OldImage":{...},"NewImage":{...}}; a delete
//   has no NewImage; with the NEW_IMAGE view there is never an OldImage.
// - Ion text as Amazon's ion-java writes it (_Private_IonTextAppender), which AWS's exporter evidently uses (the
//   Java gzip header above): decimals (unscaled digits U, scale s) print as U. when s = 0; with the point inside U
//   when it falls there; as 0.000U when up to six zeros lead; else Ud-s; and Ud<exp> for a positive exponent.
//   Strings are in double quotes, escaping \ " and control characters (\0 \a \b \t \n \v \f \r, else \xHH) and
//   U+007F..U+009F as \xHH; other characters stay as they are (UTF-8). Field names are bare when they are
//   identifiers ([A-Za-z_$][A-Za-z0-9_$]*) other than null, true, false, nan or $<digits>, else 'quoted'.
//   Blobs are {{base64}}.
// Not documented anywhere we found, so chosen here and marked as such: in Ion incremental records,
// WriteTimestampMicros is written as a decimal of scale 0 (1700000000000000.), as its DynamoDB JSON form is an N;
// DynamoDB NULL is written as Ion null. --ion-integers writes integral numbers as Ion ints instead (103, not 103.),
// for readers that must accept both.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';

class UsageError extends Error {}

const FULL_SUMMARY_VERSION = '2020-06-30';
const INCREMENTAL_SUMMARY_VERSION = '2023-08-01';
const INCREMENTAL_MIN_BILLED_BYTES = 10_000_000;
const EXPORT_DURATION_MILLIS = 5 * 60 * 1000;
const DEFAULT_INCREMENTAL_WINDOW_MILLIS = 15 * 60 * 1000;
const GZIP_OS_BYTE_OFFSET = 9;
const GZIP_OS_UNKNOWN = 0xff;

function parseArgs(argv) {
  const flags = new Set(['plain', 'ion-integers']);
  const valued = new Set(['out', 'format', 'type', 'files', 'items', 'export-id', 'table-arn', 'export-time',
    'export-from-time', 's3-prefix', 's3-bucket', 'view-type', 'checksum-files', 'etag']);
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const name = arg.slice(2);
    if (flags.has(name)) {
      options[name] = true;
    } else if (valued.has(name)) {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      options[name] = argv[++i];
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  for (const required of ['out', 'format', 'type', 'files', 'items']) {
    if (options[required] === undefined) throw new UsageError(`--${required} is required`);
  }
  const oneOf = (name, allowed, fallback) => {
    const value = options[name] ?? fallback;
    if (!allowed.includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not '${value}'`);
    return value;
  };
  const files = Number(options.files);
  if (!/^[0-9]+$/.test(options.files) || files < 1) throw new UsageError(`--files must be a whole number >= 1, not '${options.files}'`);
  const time = (name) => {
    if (options[name] === undefined) return undefined;
    const millis = Date.parse(options[name]);
    if (Number.isNaN(millis)) throw new UsageError(`--${name} must be an ISO-8601 time such as 2024-01-02T03:04:05.678Z, not '${options[name]}'`);
    return millis;
  };
  if (options['export-id'] !== undefined && !/^[A-Za-z0-9-]+$/.test(options['export-id'])) {
    throw new UsageError(`--export-id may hold letters, digits and '-' only, not '${options['export-id']}'`);
  }
  return {
    out: options.out,
    format: oneOf('format', ['DYNAMODB_JSON', 'ION']),
    type: oneOf('type', ['FULL_EXPORT', 'INCREMENTAL_EXPORT']),
    files,
    items: options.items,
    exportId: options['export-id'],
    tableArn: options['table-arn'] ?? 'arn:aws:dynamodb:us-east-1:123456789012:table/FixtureTable',
    exportTimeMillis: time('export-time') ?? Date.now(),
    exportFromTimeMillis: time('export-from-time'),
    s3Prefix: options['s3-prefix'] ?? null,
    s3Bucket: options['s3-bucket'] ?? 'dynamo-fixture-bucket',
    viewType: oneOf('view-type', ['NEW_AND_OLD_IMAGES', 'NEW_IMAGE'], 'NEW_AND_OLD_IMAGES'),
    checksumFiles: oneOf('checksum-files', ['md5', 'checksum', 'both', 'none'], 'md5'),
    etag: oneOf('etag', ['multipart', 'single'], 'multipart'),
    ionIntegers: options['ion-integers'] === true,
    plain: options.plain === true,
  };
}

// --- input: DynamoDB JSON, checked strictly so that a bad fixture fails here and not in the reader under test

const SCALAR_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL']);
const NUMBER_TEXT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const BASE64_TEXT = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkItem(item, where) {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new UsageError(`${where}: expected an object of typed attributes`);
  for (const [name, value] of Object.entries(item)) checkValue(value, `${where}.${name}`);
}

function checkValue(value, where) {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length !== 1) {
    throw new UsageError(`${where}: expected one typed value such as {"S":"text"}`);
  }
  const [type, content] = Object.entries(value)[0];
  const fail = (what) => { throw new UsageError(`${where}: ${type} ${what}`); };
  switch (type) {
    case 'S': if (typeof content !== 'string') fail('must be a string'); break;
    case 'N': if (typeof content !== 'string' || !NUMBER_TEXT.test(content)) fail('must be a number in a string'); break;
    case 'B': if (typeof content !== 'string' || !BASE64_TEXT.test(content)) fail('must be base64'); break;
    case 'BOOL': if (typeof content !== 'boolean') fail('must be true or false'); break;
    case 'NULL': if (content !== true) fail('must be true'); break;
    case 'SS': case 'NS': case 'BS':
      if (!Array.isArray(content)) fail('must be an array');
      content.forEach((element, i) => checkValue({ [type.slice(0, 1)]: element }, `${where}[${i}]`));
      break;
    case 'L':
      if (!Array.isArray(content)) fail('must be an array');
      content.forEach((element, i) => checkValue(element, `${where}[${i}]`));
      break;
    case 'M': checkItem(content, where); break;
    default: throw new UsageError(`${where}: unknown type '${type}'`);
  }
}

function readRecords(file, type) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --items ${file}: ${e.message}`);
  }
  const records = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    let record;
    try {
      record = JSON.parse(line);
    } catch (e) {
      throw new UsageError(`${where}: not JSON (${e.message})`);
    }
    if (type === 'FULL_EXPORT') {
      checkItem(record.Item, `${where}: Item`);
      records.push({ item: record.Item });
    } else {
      checkItem(record.Keys, `${where}: Keys`);
      if (record.NewImage !== undefined) checkItem(record.NewImage, `${where}: NewImage`);
      if (record.OldImage !== undefined) checkItem(record.OldImage, `${where}: OldImage`);
      const micros = record.WriteTimestampMicros;
      if (typeof micros !== 'string' || !/^[0-9]+$/.test(micros)) {
        throw new UsageError(`${where}: WriteTimestampMicros must be a string of digits such as "1700000000000000"`);
      }
      records.push({ keys: record.Keys, newImage: record.NewImage, oldImage: record.OldImage, micros });
    }
  });
  return records;
}

// --- DynamoDB JSON lines

function jsonLine(record, options) {
  if (options.type === 'FULL_EXPORT') return JSON.stringify({ Item: record.item });
  const line = { Metadata: { WriteTimestampMicros: { N: record.micros } }, Keys: record.keys };
  if (record.oldImage !== undefined && options.viewType === 'NEW_AND_OLD_IMAGES') line.OldImage = record.oldImage;
  if (record.newImage !== undefined) line.NewImage = record.newImage;
  return JSON.stringify(line);
}

// --- Ion text lines, written from the DynamoDB JSON by our own serializer (see the header for the rules)

const ION_ESCAPES = new Map([[0x00, '\\0'], [0x07, '\\a'], [0x08, '\\b'], [0x09, '\\t'], [0x0a, '\\n'], [0x0b, '\\v'],
  [0x0c, '\\f'], [0x0d, '\\r'], [0x5c, '\\\\']]);

function ionEscape(text, quote) {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (ION_ESCAPES.has(code)) out += ION_ESCAPES.get(code);
    else if (ch === quote) out += '\\' + quote;
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out;
}

function ionString(text) {
  return '"' + ionEscape(text, '"') + '"';
}

const ION_KEYWORDS = new Set(['null', 'true', 'false', 'nan']);

function ionFieldName(name) {
  const bare = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !ION_KEYWORDS.has(name) && !/^\$[0-9]+$/.test(name);
  return bare ? name : "'" + ionEscape(name, "'") + "'";
}

// A DynamoDB number's text as the sign, its digits without leading zeros, and the power of ten they are scaled by.
function decimalParts(text) {
  const match = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  const fraction = match[3] ?? '';
  let digits = (match[2] + fraction).replace(/^0+/, '');
  let exponent = Number(match[4] ?? '0') - fraction.length;
  if (digits === '') return { negative: false, digits: '0', exponent: 0 };
  return { negative: match[1] === '-', digits, exponent };
}

// DynamoDB keeps numbers normalized (the guide's 600 comes out as 6d2): trailing zeros go into the exponent.
function ionDecimal(text, ionIntegers) {
  let { negative, digits, exponent } = decimalParts(text);
  const trailing = digits === '0' ? 0 : digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  const sign = negative ? '-' : '';
  if (ionIntegers && exponent >= 0) return sign + digits + '0'.repeat(exponent);
  return sign + ionDecimalDigits(digits, exponent);
}

// ion-java's printDecimal: unscaled digits and exponent (= -scale) to Ion text.
function ionDecimalDigits(digits, exponent) {
  if (exponent === 0) return digits + '.';
  if (exponent > 0) return digits + 'd' + exponent;
  const scale = -exponent;
  const adjusted = digits.length - 1 - scale;
  if (adjusted >= 0) {
    const whole = digits.length - scale;
    return digits.slice(0, whole) + '.' + digits.slice(whole);
  }
  if (adjusted >= -6) return '0.' + '0'.repeat(scale - digits.length) + digits;
  return digits + 'd-' + scale;
}

function ionValue(value, options) {
  const [type, content] = Object.entries(value)[0];
  switch (type) {
    case 'S': return ionString(content);
    case 'N': return ionDecimal(content, options.ionIntegers);
    case 'B': return '{{' + content + '}}';
    case 'BOOL': return content ? 'true' : 'false';
    case 'NULL': return 'null';
    case 'SS': return '$dynamodb_SS::[' + content.map(ionString).join(',') + ']';
    case 'NS': return '$dynamodb_NS::[' + content.map((n) => ionDecimal(n, options.ionIntegers)).join(',') + ']';
    case 'BS': return '$dynamodb_BS::[' + content.map((b) => '{{' + b + '}}').join(',') + ']';
    case 'L': return '[' + content.map((element) => ionValue(element, options)).join(',') + ']';
    case 'M': return ionStruct(content, options);
    default: throw new Error(`unknown type ${type}`);
  }
}

function ionStruct(item, options) {
  return '{' + Object.entries(item).map(([name, value]) => ionFieldName(name) + ':' + ionValue(value, options)).join(',') + '}';
}

function ionLine(record, options) {
  if (options.type === 'FULL_EXPORT') return '$ion_1_0 {Item:' + ionStruct(record.item, options) + '}';
  const micros = options.ionIntegers ? record.micros.replace(/^0+(?=.)/, '') : ionDecimalDigits(record.micros.replace(/^0+(?=.)/, ''), 0);
  const fields = ['Metadata:{WriteTimestampMicros:' + micros + '}', 'Keys:' + ionStruct(record.keys, options)];
  if (record.oldImage !== undefined && options.viewType === 'NEW_AND_OLD_IMAGES') fields.push('OldImage:' + ionStruct(record.oldImage, options));
  if (record.newImage !== undefined) fields.push('NewImage:' + ionStruct(record.newImage, options));
  return '$ion_1_0 {' + fields.join(',') + '}';
}

// --- files

const md5 = (bytes) => crypto.createHash('md5').update(bytes).digest();

// Data objects are named like AWS's: 26 characters of lowercase base32.
function randomObjectName() {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return Array.from(crypto.randomBytes(26), (byte) => alphabet[byte & 31]).join('');
}

// gzip as Java's GZIPOutputStream writes it: Node's header says OS 3 (Unix), Java's says 255 (unknown). The OS byte
// is outside the CRC, so it can be set afterwards.
function gzipLikeJava(bytes) {
  const gz = zlib.gzipSync(bytes);
  gz[GZIP_OS_BYTE_OFFSET] = GZIP_OS_UNKNOWN;
  return gz;
}

function makeDirectory(directory) {
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
}

// New files only ('wx': O_EXCL, so never through a link someone planted), readable by their owner only.
function writeNewFile(file, bytes) {
  fs.writeFileSync(file, bytes, { flag: 'wx', mode: 0o600 });
}

function keyJoin(prefix, ...parts) {
  const base = prefix === null ? '' : prefix.replace(/\/+$/, '');
  return [base, ...parts].filter((part) => part !== '').join('/');
}

const isoTime = (millis) => new Date(millis).toISOString();

function writeExport(options) {
  const records = readRecords(options.items, options.type);
  const full = options.type === 'FULL_EXPORT';
  // A full export's start is its export time; an incremental export starts once its window has closed.
  const startMillis = options.exportTimeMillis;
  const exportId = options.exportId
    ?? '0' + String(startMillis).padStart(13, '0') + '-' + crypto.randomBytes(4).toString('hex');
  const root = path.join(options.out, 'AWSDynamoDB');
  const exportDirectory = path.join(root, exportId);
  if (fs.existsSync(exportDirectory)) throw new UsageError(`${exportDirectory} exists already: choose another --out or --export-id`);
  // The shared data folder of incremental exports, or the export's own.
  const dataParts = full ? [exportId, 'data'] : ['data'];
  const dataDirectory = path.join(root, ...dataParts);
  makeDirectory(root);
  fs.mkdirSync(exportDirectory, { mode: 0o700 });
  writeNewFile(path.join(exportDirectory, '_started'), Buffer.alloc(0));
  makeDirectory(dataDirectory);

  const lineOf = options.format === 'ION' ? ionLine : jsonLine;
  const extension = (options.format === 'ION' ? '.ion' : '.json') + (options.plain ? '' : '.gz');
  const buckets = Array.from({ length: options.files }, () => []);
  records.forEach((record, i) => buckets[i % options.files].push(lineOf(record, options) + '\n'));

  let uncompressedBytes = 0;
  const manifestLines = buckets.map((lines) => {
    const text = Buffer.from(lines.join(''), 'utf8');
    uncompressedBytes += text.length;
    const stored = options.plain ? text : gzipLikeJava(text);
    const name = randomObjectName() + extension;
    writeNewFile(path.join(dataDirectory, name), stored);
    const digest = md5(stored);
    const etag = options.etag === 'multipart' ? md5(digest).toString('hex') + '-1' : digest.toString('hex');
    return JSON.stringify({
      itemCount: lines.length,
      md5Checksum: digest.toString('base64'),
      etag,
      dataFileS3Key: keyJoin(options.s3Prefix, 'AWSDynamoDB', ...dataParts, name),
    }) + '\n';
  });

  const tableId = crypto.createHash('sha256').update(options.tableArn).digest('hex');
  const summary = {
    version: full ? FULL_SUMMARY_VERSION : INCREMENTAL_SUMMARY_VERSION,
    exportArn: `${options.tableArn}/export/${exportId}`,
    startTime: isoTime(startMillis),
    endTime: isoTime(startMillis + EXPORT_DURATION_MILLIS),
    tableArn: options.tableArn,
    tableId: [tableId.slice(0, 8), tableId.slice(8, 12), tableId.slice(12, 16), tableId.slice(16, 20), tableId.slice(20, 32)].join('-'),
  };
  if (full) {
    summary.exportTime = isoTime(options.exportTimeMillis);
  } else {
    summary.exportFromTime = isoTime(options.exportFromTimeMillis ?? options.exportTimeMillis - DEFAULT_INCREMENTAL_WINDOW_MILLIS);
    summary.exportToTime = isoTime(options.exportTimeMillis);
  }
  Object.assign(summary, {
    s3Bucket: options.s3Bucket,
    s3Prefix: options.s3Prefix,
    s3SseAlgorithm: 'AES256',
    s3SseKmsKeyId: null,
    manifestFilesS3Key: keyJoin(options.s3Prefix, 'AWSDynamoDB', exportId, 'manifest-files.json'),
    billedSizeBytes: full ? uncompressedBytes : Math.max(INCREMENTAL_MIN_BILLED_BYTES, uncompressedBytes),
    itemCount: records.length,
    outputFormat: options.format,
  });
  if (!full) {
    summary.outputView = options.viewType;
    summary.exportType = 'INCREMENTAL_EXPORT';
  }

  // The summary last: a reader that finds it may take the export as complete.
  writeManifest(exportDirectory, 'manifest-files', Buffer.from(manifestLines.join(''), 'utf8'), options);
  writeManifest(exportDirectory, 'manifest-summary', Buffer.from(JSON.stringify(summary), 'utf8'), options);
  return exportDirectory;
}

function writeManifest(directory, name, bytes, options) {
  writeNewFile(path.join(directory, name + '.json'), bytes);
  const checksum = md5(bytes).toString('base64');
  if (options.checksumFiles === 'md5' || options.checksumFiles === 'both') writeNewFile(path.join(directory, name + '.md5'), checksum);
  if (options.checksumFiles === 'checksum' || options.checksumFiles === 'both') writeNewFile(path.join(directory, name + '.checksum'), checksum);
}

try {
  const exportDirectory = writeExport(parseArgs(process.argv.slice(2)));
  process.stdout.write(path.resolve(exportDirectory) + '\n');
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`write-export: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`write-export: ${e.stack ?? e}\n`);
  process.exit(1);
}
