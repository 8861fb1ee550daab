#!/usr/bin/env node
/**
 * The `prepack` guard of react-native-rcim: `npm pack` and `npm publish` refuse to make a
 * tarball without the prebuilt Rust bridge, since an app cannot build the package without it
 * (its Android CMake build and its podspec link these files; the Rust sources do not ship):
 *
 *   android/src/main/jniLibs/<abi>/librcim_bridge.a   arm64-v8a, armeabi-v7a, x86, x86_64
 *   ios/RCIMBridge.xcframework                        device (arm64) + simulator (arm64, x86_64)
 *
 * `npm run release` (scripts/release.sh) builds them. A dry run is let through with a warning:
 * `npm pack --dry-run` / `npm publish --dry-run` (npm sets npm_config_dry_run=true) or
 * RCIM_PACK_DRY_RUN=1.
 *
 *   node scripts/prepack.mjs [--root DIR]   exit 0: artifacts present (or a dry run); 1: missing
 *   node scripts/prepack.mjs --list         prints the artifact paths the package must contain
 */
import { existsSync, openSync, readSync, closeSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ANDROID_ABIS = ['arm64-v8a', 'armeabi-v7a', 'x86', 'x86_64'];
export const ANDROID_LIB = (abi) => `android/src/main/jniLibs/${abi}/librcim_bridge.a`;
export const XCFRAMEWORK = 'ios/RCIMBridge.xcframework';
const BUILD_COMMAND = 'npm run release';

const USAGE = `Usage: node scripts/prepack.mjs [--root DIR] [--list] [--help]

Checks that the prebuilt Rust bridge is in place before npm packs react-native-rcim:
  ${ANDROID_ABIS.map(ANDROID_LIB).join('\n  ')}
  ${XCFRAMEWORK} (device arm64 + simulator arm64/x86_64 static libraries)
Build them with \`${BUILD_COMMAND}\` (scripts/release.sh).

A dry run passes with a warning: npm pack --dry-run (npm_config_dry_run=true) or
RCIM_PACK_DRY_RUN=1.`;

/** The first bytes of a file (fewer when it is shorter). */
function head(file, n) {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** A static library: an `ar` archive, or a universal (lipo) file of them. */
function isStaticLibrary(file) {
  if (!existsSync(file) || !statSync(file).isFile()) return false;
  const magic = head(file, 8);
  const ar = magic.toString('latin1') === '!<arch>\n';
  const fat = magic.length >= 4 && magic.readUInt32BE(0) === 0xcafebabe;
  return ar || fat;
}

/**
 * The libraries an xcframework's Info.plist lists: { id, path, archs, simulator }.
 * (`xcodebuild -create-xcframework` writes an XML plist: AvailableLibraries is an array of dicts.)
 */
export function xcframeworkLibraries(plistText) {
  const libraries = [];
  const dicts = plistText.split('<key>LibraryIdentifier</key>').slice(1);
  for (const chunk of dicts) {
    // Each dict's keys come in any order; look around the identifier up to the next dict.
    const end = chunk.indexOf('</dict>');
    const body = end >= 0 ? chunk.slice(0, end) : chunk;
    const id = /^\s*<string>([^<]+)<\/string>/.exec(body)?.[1];
    if (!id) continue;
    const archs = [
      ...(
        /SupportedArchitectures<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(body)?.[1] ?? ''
      ).matchAll(/<string>([^<]+)<\/string>/g),
    ].map((m) => m[1]);
    libraries.push({
      id,
      path: /<key>LibraryPath<\/key>\s*<string>([^<]+)<\/string>/.exec(body)?.[1] ?? null,
      archs,
      simulator: /<key>SupportedPlatformVariant<\/key>\s*<string>simulator<\/string>/.test(body),
    });
  }
  return libraries;
}

/** What is missing or wrong under `root`, as readable lines (empty: all present). */
export function missingArtifacts(root) {
  const problems = [];
  for (const abi of ANDROID_ABIS) {
    const file = join(root, ANDROID_LIB(abi));
    if (!existsSync(file)) problems.push(`${ANDROID_LIB(abi)} is missing`);
    else if (!isStaticLibrary(file)) problems.push(`${ANDROID_LIB(abi)} is not a static library`);
  }
  const plist = join(root, XCFRAMEWORK, 'Info.plist');
  if (!existsSync(plist)) {
    problems.push(`${XCFRAMEWORK} is missing`);
    return problems;
  }
  const libraries = xcframeworkLibraries(readFileSync(plist, 'utf8'));
  const want = [
    { what: 'the iOS device library (arm64)', simulator: false, archs: ['arm64'] },
    {
      what: 'the iOS simulator library (arm64 + x86_64)',
      simulator: true,
      archs: ['arm64', 'x86_64'],
    },
  ];
  for (const w of want) {
    const lib = libraries.find(
      (l) => l.simulator === w.simulator && w.archs.every((a) => l.archs.includes(a))
    );
    if (!lib || !lib.path) {
      problems.push(`${XCFRAMEWORK}/Info.plist lists no ${w.what}`);
      continue;
    }
    const file = join(root, XCFRAMEWORK, lib.id, lib.path);
    if (!isStaticLibrary(file)) {
      problems.push(`${relative(root, file)} (${w.what}) is missing or not a static library`);
    }
  }
  return problems;
}

function main(argv, env) {
  let root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else if (arg === '--list') {
      for (const abi of ANDROID_ABIS) console.log(ANDROID_LIB(abi));
      console.log(`${XCFRAMEWORK}/Info.plist`);
      return 0;
    } else if (arg === '--root' && argv[i + 1]) {
      root = resolve(argv[++i]);
    } else {
      console.error(`prepack: unknown argument ${arg}\n\n${USAGE}`);
      return 2;
    }
  }
  const problems = missingArtifacts(root);
  if (problems.length === 0) {
    console.error(
      'react-native-rcim prepack: the prebuilt Rust bridge is in place (Android, iOS).'
    );
    return 0;
  }
  const list = problems.map((p) => `  - ${p}`).join('\n');
  const dryRun = env.npm_config_dry_run === 'true' || env.RCIM_PACK_DRY_RUN === '1';
  if (dryRun) {
    console.error(
      `react-native-rcim prepack: dry run, packing WITHOUT the prebuilt Rust bridge:\n${list}\n` +
        `Such a tarball cannot be built into an app; \`${BUILD_COMMAND}\` builds the bridge.`
    );
    return 0;
  }
  console.error(
    `react-native-rcim prepack: refusing to pack without the prebuilt Rust bridge:\n${list}\n` +
      `Build it with \`${BUILD_COMMAND}\` (scripts/release.sh: cargo-ndk for Android, Xcode for ` +
      'iOS), or pack a tarball without it on purpose with RCIM_PACK_DRY_RUN=1 (or npm pack --dry-run).'
  );
  return 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2), process.env);
}
