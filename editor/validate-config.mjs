// Checks an editor configuration (config.yml) against Decap CMS's own configuration schema, the
// one the editor applies when it starts (decap-cms-core, constants/configSchema.js), with the
// schemas of the installed widgets. Used by tests/unit/test_editor_config.py.
//
//   node validate-config.mjs path/to/config.yml   -> prints {"valid": true} or {"valid": false, "errors": [...]}
//
// Decap's ES module build cannot be imported by Node as it is (extensionless imports, and the
// schema's module pulls in the whole editor), so this script takes the schema module's own text
// and gives it its few inputs: Ajv and its plugins (what Decap uses), the format and i18n names
// (read from Decap's own modules) and each installed widget's schema.js. Nothing is restated here.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const require = createRequire(join(here, 'package.json'));
const core = join(modules, 'decap-cms-core', 'dist', 'esm');
const read = path => readFileSync(path, 'utf8');

function fail(message) {
  process.stdout.write(JSON.stringify({ valid: false, errors: [message] }) + '\n');
  process.exit(2);
}

const configPath = process.argv[2];
if (!configPath) fail('usage: node validate-config.mjs config.yml');
if (!existsSync(core)) fail('editor/node_modules is missing: run `npm ci` in editor/');

// --- the schema module's inputs ---------------------------------------------------------------
const formats = read(join(core, 'formats', 'formats.js'));
const frontmatterFormats = JSON.parse(
  formats.match(/export const frontmatterFormats = (\[[^\]]*\])/)[1].replaceAll("'", '"'),
);
const extensionKeys = formats
  .match(/export const extensionFormatters = \{([^}]*)\}/)[1]
  .split(',')
  .map(line => line.split(':')[0].trim().replaceAll("'", ''))
  .filter(Boolean);
const extensionFormatters = Object.fromEntries(extensionKeys.map(key => [key, true]));

const i18nSource = read(join(core, 'lib', 'i18n.js'));
const enumFrom = name =>
  Object.fromEntries(
    [...i18nSource.matchAll(new RegExp(`${name}\\["(\\w+)"\\] = "([^"]+)"`, 'g'))].map(m => [m[1], m[2]]),
  );
const I18N_STRUCTURE = enumFrom('I18N_STRUCTURE');
const I18N_FIELD = enumFrom('I18N_FIELD');

// every installed widget package's schema (decap-cms-widget-select -> "select"), as the app registers them
const widgets = [];
for (const name of readdirSync(modules).filter(n => n.startsWith('decap-cms-widget-')).sort()) {
  const schemaFile = join(modules, name, 'dist', 'esm', 'schema.js');
  if (!existsSync(schemaFile)) continue;
  const text = read(schemaFile);
  const url = 'data:text/javascript;base64,' + Buffer.from(text).toString('base64');
  const schema = (await import(url)).default;
  widgets.push({ name: name.slice('decap-cms-widget-'.length), schema });
}
// decap-cms-app registers the colorstring package as "color" and the date widget on datetime's schema
for (const widget of widgets) if (widget.name === 'colorstring') widget.name = 'color';

globalThis.__decapSchemaInputs = {
  AJV: require('ajv').default || require('ajv'),
  keywords: require('ajv-keywords/dist/keywords'),
  ajvErrors: require('ajv-errors').default || require('ajv-errors'),
  frontmatterFormats,
  extensionFormatters,
  getWidgets: () => widgets,
  I18N_STRUCTURE,
  I18N_FIELD,
};

// --- the schema module itself, its imports replaced by those inputs ----------------------------
let source = read(join(core, 'constants', 'configSchema.js'));
const imports = source.match(/^import [^;]+;$/gm) || [];
source = source.replace(/^import [^;]+;$/gm, '');
source =
  `const { AJV, keywords, ajvErrors, frontmatterFormats, extensionFormatters, getWidgets, I18N_STRUCTURE, I18N_FIELD } = globalThis.__decapSchemaInputs;
const { select, uniqueItemProperties, instanceof: instanceOf, prohibited } = keywords;\n` + source;
if (imports.length !== 6) fail(`configSchema.js imports changed (${imports.length} imports): update validate-config.mjs`);
const schemaModule = await import('data:text/javascript;base64,' + Buffer.from(source).toString('base64'));

// --- the configuration, parsed as Decap parses config.yml (the yaml package) ------------------
const YAML = require('yaml');
const config = YAML.parse(read(configPath));
const originalError = console.error;
console.error = () => {}; // validateConfig logs the errors it throws
try {
  schemaModule.validateConfig(config);
  process.stdout.write(JSON.stringify({ valid: true, widgets: widgets.map(w => w.name) }) + '\n');
} catch (error) {
  process.stdout.write(JSON.stringify({ valid: false, errors: String(error.message || error).split('\n') }) + '\n');
  process.exitCode = 1;
} finally {
  console.error = originalError;
}
