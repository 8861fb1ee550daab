// Media fixtures for the Hermes integration tests, made fresh for each run by the runner
// (scripts/hermes-tests.mjs, directive `// @media-fixtures`): real images with real pixels (a PNG,
// baseline JPEGs, GIFs), a WAV tone, random files, plus the bad inputs (an empty file, a
// directory, a sparse file over the file limit, a GIF over its limit). The test host cannot
// write files, so the files are made here; the test gets { name: { path, size, sha256 } }.
//
// The encoders are minimal but standard: PNG (zlib deflate, CRC-32), baseline JPEG (8x8 DCT,
// the quantisation and Huffman tables of ITU T.81 Annex K, YCbCr 4:4:4) and GIF89a (LZW with a
// clear code before the table grows, so codes stay 9 bits: valid, just barely compressed).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** A deterministic pseudo-random generator (mulberry32), so images are reproducible. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RGB pixels (Uint8Array, 3 per pixel) of a colourful scene: gradients, circles, noise. */
export function scene(width, height, seed = 1) {
  const rnd = rng(seed);
  const px = new Uint8Array(width * height * 3);
  const circles = Array.from({ length: 6 }, () => ({
    x: rnd() * width,
    y: rnd() * height,
    r: (0.1 + rnd() * 0.25) * Math.min(width, height),
    c: [rnd() * 255, rnd() * 255, rnd() * 255],
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = (x / width) * 255;
      let g = (y / height) * 255;
      let b = 128 + 100 * Math.sin((x + y) / 37);
      for (const c of circles) {
        if ((x - c.x) ** 2 + (y - c.y) ** 2 < c.r ** 2) [r, g, b] = c.c;
      }
      const n = (rnd() - 0.5) * 24;
      const i = (y * width + x) * 3;
      px[i] = Math.max(0, Math.min(255, r + n));
      px[i + 1] = Math.max(0, Math.min(255, g + n));
      px[i + 2] = Math.max(0, Math.min(255, b + n));
    }
  }
  return px;
}

// ---- PNG ---------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An 8-bit RGB PNG of `px`. */
export function encodePng(width, height, px) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    Buffer.from(px.buffer, px.byteOffset + y * width * 3, width * 3).copy(
      raw,
      y * (width * 3 + 1) + 1
    );
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- baseline JPEG -----------------------------------------------------------------------------

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
  52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];
const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
  92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_Q = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];
// Huffman tables of Annex K.3: code counts per length (1..16), then the symbols.
const DC_LUMA = [[0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]];
const DC_CHROMA = [[0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]];
const AC_LUMA = [
  [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
    0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
    0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
  ],
];
const AC_CHROMA = [
  [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
    0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
    0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
    0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
    0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
    0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
  ],
];

/** symbol -> [code, length] of a table given as [counts, symbols]. */
function huffmanCodes([counts, symbols]) {
  const codes = new Map();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < counts[len - 1]; i++) codes.set(symbols[k++], [code++, len]);
    code <<= 1;
  }
  return codes;
}

function scaledTable(base, quality) {
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  return base.map((q) => Math.max(1, Math.min(255, Math.floor((q * scale + 50) / 100))));
}

const COS = Array.from({ length: 8 }, (_, x) =>
  Array.from({ length: 8 }, (_, u) => Math.cos(((2 * x + 1) * u * Math.PI) / 16))
);
const C = (u) => (u === 0 ? Math.SQRT1_2 : 1);

/** Forward DCT of an 8x8 block (row-major, level-shifted samples). */
function dct(block) {
  const tmp = new Float64Array(64);
  const out = new Float64Array(64);
  for (let y = 0; y < 8; y++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let x = 0; x < 8; x++) s += block[y * 8 + x] * COS[x][u];
      tmp[y * 8 + u] = (s * C(u)) / 2;
    }
  }
  for (let u = 0; u < 8; u++) {
    for (let v = 0; v < 8; v++) {
      let s = 0;
      for (let y = 0; y < 8; y++) s += tmp[y * 8 + u] * COS[y][v];
      out[v * 8 + u] = (s * C(v)) / 2;
    }
  }
  return out;
}

class BitWriter {
  constructor() {
    this.bytes = [];
    this.acc = 0;
    this.n = 0;
  }
  write(code, len) {
    for (let i = len - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((code >> i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  flush() {
    if (this.n > 0) this.write((1 << (8 - this.n)) - 1, 8 - this.n);
  }
}

const magnitude = (v) => {
  let a = Math.abs(v);
  let n = 0;
  while (a > 0) {
    n++;
    a >>= 1;
  }
  return n;
};

/** A baseline (SOF0) YCbCr 4:4:4 JPEG of `px` at `quality` (1..100). */
export function encodeJpeg(width, height, px, quality = 85) {
  const qt = [scaledTable(LUMA_Q, quality), scaledTable(CHROMA_Q, quality)];
  const dcCodes = [huffmanCodes(DC_LUMA), huffmanCodes(DC_CHROMA)];
  const acCodes = [huffmanCodes(AC_LUMA), huffmanCodes(AC_CHROMA)];
  const bits = new BitWriter();
  const prevDc = [0, 0, 0];
  const planes = [new Float64Array(64), new Float64Array(64), new Float64Array(64)];
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const sx = Math.min(bx + x, width - 1);
          const sy = Math.min(by + y, height - 1);
          const i = (sy * width + sx) * 3;
          const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
          planes[0][y * 8 + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
          planes[1][y * 8 + x] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          planes[2][y * 8 + x] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
      for (let c = 0; c < 3; c++) {
        const t = c === 0 ? 0 : 1;
        const coef = dct(planes[c]);
        const q = ZIGZAG.map((z, k) => Math.round(coef[z] / qt[t][k]));
        const diff = q[0] - prevDc[c];
        prevDc[c] = q[0];
        const dcSize = magnitude(diff);
        bits.write(...dcCodes[t].get(dcSize));
        if (dcSize) bits.write(diff < 0 ? diff + (1 << dcSize) - 1 : diff, dcSize);
        let run = 0;
        for (let k = 1; k < 64; k++) {
          if (q[k] === 0) {
            run++;
            continue;
          }
          while (run > 15) {
            bits.write(...acCodes[t].get(0xf0));
            run -= 16;
          }
          const size = magnitude(q[k]);
          bits.write(...acCodes[t].get((run << 4) | size));
          bits.write(q[k] < 0 ? q[k] + (1 << size) - 1 : q[k], size);
          run = 0;
        }
        if (run > 0) bits.write(...acCodes[t].get(0x00));
      }
    }
  }
  bits.flush();

  const seg = (marker, body) => {
    const b = Buffer.alloc(4 + body.length);
    b.writeUInt16BE(marker, 0);
    b.writeUInt16BE(body.length + 2, 2);
    Buffer.from(body).copy(b, 4);
    return b;
  };
  const dht = (cls, id, [counts, symbols]) => [(cls << 4) | id, ...counts, ...symbols];
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xffe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    seg(0xffdb, [0x00, ...qt[0], 0x01, ...qt[1]]),
    seg(0xffc0, [
      8,
      height >> 8,
      height & 0xff,
      width >> 8,
      width & 0xff,
      3,
      ...[1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1],
    ]),
    seg(0xffc4, [
      ...dht(0, 0, DC_LUMA),
      ...dht(1, 0, AC_LUMA),
      ...dht(0, 1, DC_CHROMA),
      ...dht(1, 1, AC_CHROMA),
    ]),
    seg(0xffda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]),
    Buffer.from(bits.bytes),
    Buffer.from([0xff, 0xd9]),
  ]);
}

// ---- GIF ---------------------------------------------------------------------------------------

/**
 * A GIF89a of `frames` frames (palette indices, 256 colours). LZW with 8-bit roots: a clear
 * code every 254 literals keeps every code 9 bits wide.
 */
export function encodeGif(width, height, frames, palette) {
  const out = [];
  const u16 = (v) => out.push(v & 0xff, v >> 8);
  out.push(...Buffer.from('GIF89a', 'ascii'));
  u16(width);
  u16(height);
  out.push(0xf7, 0, 0); // global colour table of 256 entries
  for (let i = 0; i < 256; i++) out.push(...(palette[i] || [0, 0, 0]));
  if (frames.length > 1) {
    // NETSCAPE2.0 loop forever
    out.push(0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'ascii'), 3, 1, 0, 0, 0);
  }
  for (const indices of frames) {
    out.push(0x21, 0xf9, 4, 0, 10, 0, 0, 0); // graphic control: 100 ms delay
    out.push(0x2c);
    u16(0);
    u16(0);
    u16(width);
    u16(height);
    out.push(0, 8); // no local table; LZW minimum code size 8
    const data = [];
    let acc = 0;
    let n = 0;
    const emit = (code) => {
      acc |= code << n;
      n += 9;
      while (n >= 8) {
        data.push(acc & 0xff);
        acc >>= 8;
        n -= 8;
      }
    };
    for (let i = 0; i < indices.length; i++) {
      if (i % 254 === 0) emit(256); // clear
      emit(indices[i]);
    }
    emit(257); // end of information
    if (n > 0) data.push(acc & 0xff);
    for (let i = 0; i < data.length; i += 255) {
      const block = data.slice(i, i + 255);
      out.push(block.length, ...block);
    }
    out.push(0);
  }
  out.push(0x3b);
  return Buffer.from(out);
}

/** Palette indices of a moving diagonal pattern (frame `f`). */
function gifFrame(width, height, f, noise) {
  const rnd = rng(f + 7);
  const px = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      px[y * width + x] = noise ? Math.floor(rnd() * 256) : (x + y + f * 16) & 0xff;
    }
  }
  return px;
}

const RAINBOW = Array.from({ length: 256 }, (_, i) => [
  Math.round(127 + 127 * Math.sin((i / 256) * 2 * Math.PI)),
  Math.round(127 + 127 * Math.sin((i / 256) * 2 * Math.PI + 2)),
  Math.round(127 + 127 * Math.sin((i / 256) * 2 * Math.PI + 4)),
]);

// ---- WAV ---------------------------------------------------------------------------------------

/** A 16-bit mono PCM WAV: a 440 Hz tone of `seconds`. */
export function encodeWav(seconds, rate = 16000) {
  const samples = Math.round(seconds * rate);
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    b.writeInt16LE(Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  }
  return b;
}

// ---- the set -----------------------------------------------------------------------------------

/** Server-side limits the bad-input fixtures exceed (the contract's defaults). */
export const LIMITS = { file: 100 * 1024 * 1024, gif: 2 * 1024 * 1024 };

/**
 * Writes the fixture set into `dir`. Returns { name: { path, size, sha256, width?, height? } }
 * plus `missing` (a path where nothing is) and `directory`.
 */
export function makeMediaFixtures(dir) {
  mkdirSync(dir, { recursive: true });
  const out = {};
  const put = (name, bytes, extra = {}) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    out[name] = {
      path,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      ...extra,
    };
  };
  put('photo.png', encodePng(1200, 900, scene(1200, 900, 1)), { width: 1200, height: 900 });
  put('photo.jpg', encodeJpeg(1600, 1200, scene(1600, 1200, 2), 85), { width: 1600, height: 1200 });
  put('map.jpg', encodeJpeg(240, 160, scene(240, 160, 3), 80), { width: 240, height: 160 });
  put('anim.gif', encodeGif(160, 120, [0, 1, 2, 3].map((f) => gifFrame(160, 120, f)), RAINBOW), {
    width: 160,
    height: 120,
  });
  // ~3.6 MB of noise: over the 2 MiB GIF limit.
  put('huge.gif', encodeGif(1800, 1800, [gifFrame(1800, 1800, 0, true)], RAINBOW), {
    width: 1800,
    height: 1800,
  });
  put('voice.wav', encodeWav(2));
  put('random-2mb.bin', randomBytes(2 * 1024 * 1024));
  // Big enough to be cancelled midway behind the throttling file proxy, even with the
  // loopback socket buffers (several MB) filled at full speed.
  put('big-16mb.bin', randomBytes(16 * 1024 * 1024));
  // Not a real video (the Linux host makes no video thumbnail): a file named like one.
  put('clip.mp4', randomBytes(300 * 1024));
  put('empty.txt', Buffer.alloc(0));

  // Over the file limit without using the disk: a sparse file.
  const overPath = join(dir, 'over-limit.bin');
  const fd = openSync(overPath, 'w');
  ftruncateSync(fd, LIMITS.file + 1);
  closeSync(fd);
  out['over-limit.bin'] = { path: overPath, size: LIMITS.file + 1, sha256: '' };

  const directory = join(dir, 'a-directory');
  mkdirSync(directory, { recursive: true });
  out.directory = { path: directory, size: 0, sha256: '' };
  out.missing = { path: join(dir, 'no-such-file.png'), size: 0, sha256: '' };
  return out;
}
