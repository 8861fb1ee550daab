/**
 * The npm package as an app team installs it: what `npm pack` puts in the tarball (everything
 * an app build needs, nothing of the repository's own tests, Rust sources, builds or tools),
 * the prebuilt Rust bridge included when it is there, and the `prepack` guard that refuses to
 * pack without it unless it is a dry run. Also: README.md's supported-methods table is the one
 * generated from the bridge's method table.
 *
 * Packs a copy of the package in a temporary directory (its files as `npm pack --dry-run`
 * lists them, plus the build configuration, decoys that must not ship and fake artifacts), so
 * the repository's own tree is never changed except for the bob build in `lib/`.
 */
import { spawnSync, type SpawnSyncReturns } from 'child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '..');
const ABIS = ['arm64-v8a', 'armeabi-v7a', 'x86', 'x86_64'];
const ANDROID_LIBS = ABIS.map((abi) => `android/src/main/jniLibs/${abi}/librcim_bridge.a`);
const XCF = 'ios/RCIMBridge.xcframework';
const IOS_ARTIFACTS = [
  `${XCF}/Info.plist`,
  `${XCF}/ios-arm64/librcim_bridge.a`,
  `${XCF}/ios-arm64_x86_64-simulator/librcim_bridge.a`,
];

/** The environment of a child npm/node: no dry-run switch inherited from an outer npm run. */
function cleanEnv(extra: { [name: string]: string } = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.npm_config_dry_run;
  delete env.RCIM_PACK_DRY_RUN;
  return { ...env, ...extra };
}

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = cleanEnv()
): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** The paths `npm pack` would put in the tarball of `dir` (no lifecycle scripts). */
function dryRunList(dir: string): string[] {
  const r = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], dir);
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed:\n${r.stderr}`);
  const [pack] = JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((f) => f.path).sort();
}

function write(dir: string, path: string, content: string | Buffer) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/** A tiny but valid `ar` archive (what the guard accepts as a static library). */
const FAKE_ARCHIVE = Buffer.from('!<arch>\n', 'latin1');

const XCF_PLIST = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>AvailableLibraries</key>
	<array>
		<dict>
			<key>BinaryPath</key>
			<string>librcim_bridge.a</string>
			<key>LibraryIdentifier</key>
			<string>ios-arm64</string>
			<key>LibraryPath</key>
			<string>librcim_bridge.a</string>
			<key>SupportedArchitectures</key>
			<array>
				<string>arm64</string>
			</array>
			<key>SupportedPlatform</key>
			<string>ios</string>
		</dict>
		<dict>
			<key>BinaryPath</key>
			<string>librcim_bridge.a</string>
			<key>LibraryIdentifier</key>
			<string>ios-arm64_x86_64-simulator</string>
			<key>LibraryPath</key>
			<string>librcim_bridge.a</string>
			<key>SupportedArchitectures</key>
			<array>
				<string>arm64</string>
				<string>x86_64</string>
			</array>
			<key>SupportedPlatform</key>
			<string>ios</string>
			<key>SupportedPlatformVariant</key>
			<string>simulator</string>
		</dict>
	</array>
	<key>CFBundlePackageType</key>
	<string>XFWK</string>
	<key>XCFrameworkFormatVersion</key>
	<string>1.0</string>
</dict>
</plist>
`;

function addArtifacts(dir: string) {
  for (const lib of ANDROID_LIBS) write(dir, lib, FAKE_ARCHIVE);
  write(dir, `${XCF}/Info.plist`, XCF_PLIST);
  write(dir, `${XCF}/ios-arm64/librcim_bridge.a`, FAKE_ARCHIVE);
  // lipo's universal file: the fat magic.
  write(
    dir,
    `${XCF}/ios-arm64_x86_64-simulator/librcim_bridge.a`,
    Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2])
  );
}

function removeArtifacts(dir: string) {
  for (const abi of ABIS)
    rmSync(join(dir, 'android/src/main/jniLibs', abi), { recursive: true, force: true });
  rmSync(join(dir, XCF), { recursive: true, force: true });
}

/** Files of the repository or its builds that an app does not need. */
const DECOYS = [
  'rust/target/release/librcim_bridge.a',
  'rust/core/src/lib.rs',
  'target/debug/rcim-server',
  'example/App.tsx',
  'tests/hermes/engine.test.ts',
  '__tests__/engine.test.ts',
  'src/__tests__/inner.test.ts',
  'scripts/test.sh',
  '.ci/run',
  'node_modules/left-pad/index.js',
  'android/build/outputs/aar/rcim.aar',
  'android/.cxx/Debug/abc/arm64-v8a/build.ninja',
  'android/.gradle/8.7/fileHashes.lock',
  'android/local.properties',
  'ios/build/Build/Products/x.o',
  'Cargo.toml',
  'Dockerfile',
];

/** What must not be in an app's node_modules/react-native-rcim. */
const FORBIDDEN = [
  /^(rust|target|example|tests|__tests__|scripts|bench|deploy|docs|\.ci|node_modules)\//,
  /(^|\/)__(tests|fixtures|mocks)__\//,
  /\.test\.[jt]sx?$/,
  /^android\/(build|\.cxx|\.gradle|gradle)\//,
  /^android\/(local\.properties|gradlew(\.bat)?)$/,
  /^ios\/build\//,
  /^(Cargo\.(toml|lock)|Dockerfile|BENCHMARKS\.md|\.gitignore|jest\.config\.js|babel\.config\.js|eslint\.config\.mjs|tsconfig(\.build)?\.json|package-lock\.json)$/,
  /(^|\/)\.(git|DS_Store|npmrc|env)/,
];

/** What an app build needs (besides the native artifacts). */
const REQUIRED = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'react-native-rcim.podspec',
  'lib/commonjs/index.js',
  'lib/module/index.js',
  'lib/typescript/commonjs/src/index.d.ts',
  'lib/typescript/module/src/index.d.ts',
  'lib/commonjs/specs/NativeRCIM.js',
  'src/index.ts',
  'src/NativeRCIM.ts',
  'src/specs/NativeRCIM.ts',
  'cpp/RCIMBridgeHostObject.cpp',
  'cpp/RCIMInstallCallInvoker.cpp',
  'cpp/rcim_bridge.h',
  'android/build.gradle',
  'android/CMakeLists.txt',
  'android/gradle.properties',
  'android/proguard-rules.pro',
  'android/src/main/AndroidManifest.xml',
  'android/src/main/cpp/cpp-adapter.cpp',
  'android/src/main/java/com/rcim/RCIMModule.kt',
  'android/src/main/java/com/rcim/RCIMPackage.kt',
  'ios/RCIM.h',
  'ios/RCIM.mm',
  'jest/index.js',
  'jest/index.d.ts',
  'jest/setup.js',
  'jest/mock/index.js',
  'jest/mock/index.d.ts',
];

/** Every file package.json points at (main, module, types, exports). */
function entryPoints(pkg: { [key: string]: unknown }): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v.replace(/^\.\//, ''));
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk([pkg.main, pkg.module, pkg.types, pkg.exports]);
  return out;
}

function checkShipped(files: string[]) {
  const missing = REQUIRED.filter((f) => !files.includes(f));
  expect(missing).toEqual([]);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    [key: string]: unknown;
  };
  expect(entryPoints(pkg).filter((f) => !files.includes(f))).toEqual([]);
  expect(files.filter((f) => FORBIDDEN.some((re) => re.test(f)))).toEqual([]);
}

let work: string;
let pkgDir: string;
let tarballPath = '';

beforeAll(() => {
  // The bob build (npm test builds before Jest; a lone Jest run builds here).
  if (!existsSync(join(ROOT, 'lib/commonjs/specs/NativeRCIM.js'))) {
    const b = run('npx', ['bob', 'build'], ROOT);
    if (b.status !== 0) throw new Error(`bob build failed:\n${b.stdout}${b.stderr}`);
  }
  work = mkdtempSync(join(tmpdir(), 'rcim-pack-'));
  pkgDir = join(work, 'react-native-rcim');
  // The package's files as npm would pack them, plus what packing itself needs: the nested
  // ignore files, the prepack guard and the bob build's configuration and tools.
  const files = [
    ...dryRunList(ROOT).filter(
      (f) => !f.startsWith('android/src/main/jniLibs/') && !f.startsWith(`${XCF}/`)
    ),
    'android/.npmignore',
    'android/.gitignore',
    'ios/.npmignore',
    'ios/.gitignore',
    '.gitignore',
    'scripts/prepack.mjs',
    'babel.config.js',
    'tsconfig.json',
    'tsconfig.build.json',
  ];
  for (const f of files) {
    mkdirSync(dirname(join(pkgDir, f)), { recursive: true });
    cpSync(join(ROOT, f), join(pkgDir, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(pkgDir, 'node_modules'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the package as this checkout would pack it: what an app needs, nothing else', () => {
  checkShipped(dryRunList(ROOT));
});

describe('the prepack guard (scripts/prepack.mjs)', () => {
  const guard = (env: NodeJS.ProcessEnv) =>
    run('node', [join(ROOT, 'scripts/prepack.mjs'), '--root', pkgDir], pkgDir, env);

  afterEach(() => removeArtifacts(pkgDir));

  test('refuses without the native artifacts, naming them and the command that builds them', () => {
    const r = guard(cleanEnv());
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to pack/);
    for (const lib of ANDROID_LIBS) expect(r.stderr).toContain(`${lib} is missing`);
    expect(r.stderr).toContain(`${XCF} is missing`);
    expect(r.stderr).toContain('npm run release');
  });

  test('lets a dry run through with a warning (npm pack --dry-run, RCIM_PACK_DRY_RUN=1)', () => {
    const dryRuns: Array<{ [name: string]: string }> = [
      { npm_config_dry_run: 'true' },
      { RCIM_PACK_DRY_RUN: '1' },
    ];
    for (const env of dryRuns) {
      const r = guard(cleanEnv(env));
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/dry run, packing WITHOUT the prebuilt Rust bridge/);
    }
  });

  test('passes with every artifact, and refuses a broken or incomplete one', () => {
    addArtifacts(pkgDir);
    const ok = guard(cleanEnv());
    expect(ok.stderr).toMatch(/in place/);
    expect(ok.status).toBe(0);

    write(pkgDir, ANDROID_LIBS[1], 'not an archive');
    const broken = guard(cleanEnv());
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`${ANDROID_LIBS[1]} is not a static library`);
    write(pkgDir, ANDROID_LIBS[1], FAKE_ARCHIVE);

    rmSync(join(pkgDir, XCF, 'ios-arm64_x86_64-simulator'), { recursive: true });
    const noSimulator = guard(cleanEnv());
    expect(noSimulator.status).toBe(1);
    expect(noSimulator.stderr).toMatch(/simulator library \(arm64 \+ x86_64\)\) is missing/);
  });
});

describe('npm pack of a copy of the package', () => {
  afterEach(() => removeArtifacts(pkgDir));

  test('npm pack stops at the guard without the native artifacts; --dry-run goes on', () => {
    const out = join(work, 'refused');
    mkdirSync(out);
    const refused = run('npm', ['pack', '--pack-destination', out], pkgDir);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/refusing to pack without the prebuilt Rust bridge/);
    expect(readdirSync(out)).toEqual([]);

    const dry = run('npm', ['pack', '--dry-run'], pkgDir);
    expect(dry.stderr).toMatch(/dry run, packing WITHOUT the prebuilt Rust bridge/);
    expect(dry.status).toBe(0);
  });

  test('the tarball holds the native artifacts and none of the decoys', () => {
    addArtifacts(pkgDir);
    for (const decoy of DECOYS) write(pkgDir, decoy, 'decoy\n');
    const out = join(work, 'packed');
    mkdirSync(out);
    const packed = run('npm', ['pack', '--pack-destination', out], pkgDir);
    expect(packed.status).toBe(0);
    const [tarball] = readdirSync(out);
    expect(tarball).toMatch(/^react-native-rcim-\d+\.\d+\.\d+\.tgz$/);
    const list = run('tar', ['-tzf', join(out, tarball)], out);
    expect(list.status).toBe(0);
    const files = list.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''))
      .sort();
    checkShipped(files);
    expect([...ANDROID_LIBS, ...IOS_ARTIFACTS].filter((f) => !files.includes(f))).toEqual([]);
    expect(DECOYS.filter((f) => files.includes(f))).toEqual([]);
    for (const decoy of DECOYS) rmSync(join(pkgDir, decoy), { force: true });
    tarballPath = join(out, tarball);
  });

  test("an app's Jest uses the installed tarball's mock with no setup, and with jest.mock", () => {
    expect(tarballPath).toBeTruthy();
    // An app with the package unpacked into node_modules, as npm installs it; no react-native,
    // no Babel or Jest configuration of the package's own.
    const app = join(work, 'app');
    const installed = join(app, 'node_modules/react-native-rcim');
    mkdirSync(installed, { recursive: true });
    const untar = run('tar', ['-xzf', tarballPath, '-C', installed, '--strip-components=1'], app);
    expect(untar.status).toBe(0);
    write(app, 'package.json', JSON.stringify({ name: 'app', private: true }));
    write(app, 'jest.config.js', "module.exports = { testEnvironment: 'node' };\n");
    const body = `
const { RCIMIWEngine, RCIMIWConversationType } = require('react-native-rcim');
test('connect and send', async () => {
  const engine = RCIMIWEngine.create('app-key');
  const { RCIMMock } = require('react-native-rcim/jest');
  RCIMMock.registerToken('token-of-alice', 'alice');
  const connected = await new Promise((resolve) =>
    engine.connect('token-of-alice', 0, { onConnected: (code, userId) => resolve([code, userId]) })
  );
  expect(connected).toEqual([0, 'alice']);
  const text = await engine.createTextMessage(RCIMIWConversationType.PRIVATE, 'bob', null, 'hi');
  const sent = await new Promise((resolve) =>
    engine.sendMessage(text, { onMessageSent: (code, message) => resolve([code, message.text]) })
  );
  expect(sent).toEqual([0, 'hi']);
  expect(globalThis.__rcimBridge.__rcimMock).toBe(RCIMMock);
});
`;
    write(app, '__tests__/zero-config.test.js', body);
    write(
      app,
      '__tests__/explicit.test.js',
      "jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));\n" + body
    );
    const jestBin = join(ROOT, 'node_modules/jest/bin/jest.js');
    const r = run('node', [jestBin, '--ci', '--rootDir', app], app);
    expect(`${r.stdout}${r.stderr}`).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(r.status).toBe(0);
  });
});

describe("README.md's supported-methods table (scripts/gen-methods-table.mjs)", () => {
  const gen = (...args: string[]) =>
    run('node', [join(ROOT, 'scripts/gen-methods-table.mjs'), ...args], ROOT);

  test('is generated from the bridge method table and up to date', () => {
    const check = gen('--check');
    expect(check.stderr).toMatch(/matches/);
    expect(check.status).toBe(0);
  });

  test('lists exactly the methods the Jest mock implements (the API-surface tests tie both to RCIMIWEngine)', () => {
    const table = JSON.parse(gen('--json').stdout) as Array<{ rows: Array<{ names: string[] }> }>;
    const names = table.flatMap((a) => a.rows.flatMap((r) => r.names)).sort();
    const { methodNames } = require('../jest/mock') as { methodNames: () => string[] };
    expect(names).toEqual(methodNames());
  });

  test('--check fails on a stale table', () => {
    const stale = join(work, 'README.md');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    writeFileSync(stale, readme.replace(/\| `connect` \|[^\n]*\n/, ''));
    const check = gen('--check', '--readme', stale);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/stale; run `npm run gen:methods`/);
    expect(gen('--readme', stale).status).toBe(0);
    expect(readFileSync(stale, 'utf8')).toBe(readme);
  });
});

describe("React Native's codegen on the spec (package.json codegenConfig)", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    codegenConfig: {
      name: string;
      type: string;
      jsSrcsDir: string;
      android: { javaPackageName: string };
    };
  };
  const config = pkg.codegenConfig;
  const rn = dirname(require.resolve('react-native/package.json'));
  const codegen = dirname(require.resolve('@react-native/codegen/package.json'));
  let out: string;

  beforeAll(() => {
    out = join(work, 'codegen');
    const schema = join(out, 'schema.json');
    mkdirSync(out, { recursive: true });
    const combine = run(
      'node',
      [
        join(codegen, 'lib/cli/combine/combine-js-to-schema-cli.js'),
        schema,
        join(ROOT, config.jsSrcsDir),
      ],
      ROOT
    );
    if (combine.status !== 0) throw new Error(`codegen schema failed:\n${combine.stderr}`);
    for (const platform of ['android', 'ios']) {
      const r = run(
        'node',
        [
          join(rn, 'scripts/generate-specs-cli.js'),
          ...['--platform', platform, '--schemaPath', schema, '--outputDir', join(out, platform)],
          ...['--libraryName', config.name, '--javaPackageName', config.android.javaPackageName],
        ],
        ROOT
      );
      if (r.status !== 0) throw new Error(`codegen ${platform} failed:\n${r.stderr}`);
    }
  });

  test('is a modules spec in src/specs, the one directory the package ships it in', () => {
    expect(config.type).toBe('modules');
    expect(config.jsSrcsDir).toBe('src/specs');
    expect(readdirSync(join(ROOT, config.jsSrcsDir))).toEqual(['NativeRCIM.ts']);
  });

  test('Android: the NativeRCIMSpec that RCIMModule extends, with a synchronous install()', () => {
    const javaPath = config.android.javaPackageName.replace(/\./g, '/');
    const java = readFileSync(join(out, 'android/java', javaPath, 'NativeRCIMSpec.java'), 'utf8');
    expect(java).toContain('public abstract class NativeRCIMSpec');
    expect(java).toContain('NAME = "RCIM"');
    expect(java).toMatch(
      /@ReactMethod\(isBlockingSynchronousMethod = true\)\s*@DoNotStrip\s*public abstract boolean install\(\);/
    );
    const module = readFileSync(
      join(ROOT, 'android/src/main/java', javaPath, 'RCIMModule.kt'),
      'utf8'
    );
    expect(module).toMatch(
      /class RCIMModule\(reactContext: ReactApplicationContext\) : NativeRCIMSpec\(reactContext\)/
    );
    expect(module).toContain('override fun install(): Boolean');
    expect(module).toContain('const val NAME = "RCIM"');
  });

  test('iOS: RCIMSpec.h with the NativeRCIMSpec protocol and NativeRCIMSpecJSI that RCIM.mm uses', () => {
    const header = readFileSync(join(out, 'ios', config.name, `${config.name}.h`), 'utf8');
    expect(header).toMatch(
      /@protocol NativeRCIMSpec <RCTBridgeModule, RCTTurboModule>\s*- \(NSNumber \*\)install;/
    );
    expect(header).toContain('class JSI_EXPORT NativeRCIMSpecJSI : public ObjCTurboModule');
    const objcHeader = readFileSync(join(ROOT, 'ios/RCIM.h'), 'utf8');
    expect(objcHeader).toContain(`#import <${config.name}/${config.name}.h>`);
    expect(objcHeader).toContain('@interface RCIM : NSObject <NativeRCIMSpec>');
    const mm = readFileSync(join(ROOT, 'ios/RCIM.mm'), 'utf8');
    expect(mm).toContain('using RCIMTurboModuleBase = react::NativeRCIMSpecJSI;');
    expect(mm).toContain('RCT_EXPORT_MODULE(RCIM)');
  });
});
