// The reference in docs/reference/, rendered from a running node's metadata (call, event and
// error docs are the pallets' own doc comments) and from the SDK's RPC definitions, so that it
// cannot drift from the chain: the SDK's suite renders it against its dev node and fails if the
// committed pages differ (`UPDATE_REFERENCE=1 npm test` rewrites them).
import type { ApiPromise } from '@polkadot/api';
import { TypeDefInfo, type TypeDef } from '@polkadot/types/types';
import { stringCamelCase } from '@polkadot/util';
import { rpc, types as rpcTypes } from '../src/definitions.ts';

/** tpwallet's own pallets, in the order the index lists them. */
export const PALLETS = [
  'Tokenization',
  'Compliance',
  'PaymentChannels',
  'Htlc',
  'Bridge',
  'Settlement',
  'ValidatorSet',
  'AuraEquivocation',
];
/** tpwallet's own runtime APIs. */
const APIS = ['TokenizationApi', 'ComplianceApi', 'PaymentChannelsApi', 'SettlementApi', 'AuraEquivocationApi'];

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Doc lines as Markdown: rustdoc links become code, the leading space of each line goes. */
function docs(lines: { toString(): string }[]): string {
  return lines
    .map((l) => l.toString().replace(/^ /, ''))
    .join('\n')
    .replace(/\[`([^`\]]+)`\](\([^)]*\))?/g, '`$1`')
    .trim();
}

/** One line of a table cell: paragraphs joined, pipes escaped. */
const cell = (text: string) => text.replace(/\n\s*\n/g, ' ').replace(/\n/g, ' ').replace(/\|/g, '\\|') || '—';

/** A type as a reader needs it: enums as their variants, structs as their fields (one level). */
function typeOf(api: ApiPromise, id: { toNumber(): number } | number): string {
  const def = api.registry.lookup.getTypeDef(typeof id === 'number' ? id : id.toNumber());
  return describeType(api, def);
}

function isPlainEnum(api: ApiPromise, sub: TypeDef): boolean {
  const def = sub.info === TypeDefInfo.Si ? api.registry.lookup.getTypeDef(sub.type as `Lookup${number}`) : sub;
  return def.info === TypeDefInfo.Enum && Array.isArray(def.sub) && def.sub.every((v) => v.type === 'Null');
}

function describeType(api: ApiPromise, given: TypeDef, depth = 0): string {
  // A reference into the metadata's type registry: what it refers to.
  const def = given.info === TypeDefInfo.Si ? api.registry.lookup.getTypeDef(given.type as `Lookup${number}`) : given;
  const short = (sub: TypeDef): string =>
    depth > 0 && !isPlainEnum(api, sub)
      ? sub.lookupName ?? sub.type
      : describeType(api, sub, depth + 1);
  if (def.info === TypeDefInfo.Enum && Array.isArray(def.sub)) {
    const plain = def.sub.every((v) => v.type === 'Null');
    if (depth > 1 && !plain) return def.lookupName ?? def.type;
    return def.sub.map((v) => (v.type === 'Null' ? v.name! : `${v.name}(${short(v)})`)).join(' | ');
  }
  if (def.info === TypeDefInfo.Struct && Array.isArray(def.sub)) {
    return `{ ${def.sub.map((f) => `${stringCamelCase(f.name!)}: ${short(f)}`).join(', ')} }`;
  }
  return def.lookupName ?? def.type;
}

function variants(api: ApiPromise, typeId: any) {
  return api.registry.lookup.getSiType(typeId).def.asVariant.variants;
}

function palletPage(api: ApiPromise, pallet: any): string {
  const name = pallet.name.toString();
  const section = stringCamelCase(name);
  const out: string[] = [
    `# ${name}`,
    '',
    `Pallet index ${pallet.index.toNumber()}. In polkadot.js: \`api.tx.${section}\`, \`api.query.${section}\`, ` +
      `\`api.consts.${section}\`, events \`${section}.<Event>\`, errors \`${section}.<Error>\` (the SDK's ` +
      `\`Failure.code\`). Amounts are in the asset's smallest unit (TPW: 12 decimals); durations in blocks (3 s).`,
    '',
  ];
  if (pallet.calls.isSome) {
    out.push('## Calls', '');
    for (const call of variants(api, pallet.calls.unwrap().type)) {
      const args = call.fields.map((f: any) => stringCamelCase(f.name.unwrap().toString()));
      out.push(`### \`${section}.${stringCamelCase(call.name.toString())}(${args.join(', ')})\``, '');
      out.push(`Call index ${call.index.toNumber()} (\`${call.name.toString()}\`).`, '');
      if (call.fields.length > 0) {
        out.push('| parameter | type (polkadot.js) | type (runtime) |', '| --- | --- | --- |');
        for (const f of call.fields) {
          out.push(
            `| \`${stringCamelCase(f.name.unwrap().toString())}\` | \`${cell(typeOf(api, f.type))}\` | \`${cell(f.typeName.unwrapOr('').toString())}\` |`,
          );
        }
        out.push('');
      }
      out.push(docs(call.docs) || '(undocumented)', '');
    }
  }
  if (pallet.events.isSome) {
    out.push('## Events', '', '| event | fields | meaning |', '| --- | --- | --- |');
    for (const event of variants(api, pallet.events.unwrap().type)) {
      const fields = event.fields
        .map((f: any) => `\`${f.name.isSome ? stringCamelCase(f.name.unwrap().toString()) : '_'}: ${typeOf(api, f.type)}\``)
        .join(', ');
      out.push(`| \`${event.name.toString()}\` | ${cell(fields)} | ${cell(docs(event.docs))} |`);
    }
    out.push('');
  }
  if (pallet.errors.isSome) {
    out.push('## Errors', '', `As \`${section}.<Name>\` in a failure.`, '', '| error | meaning and what to do |', '| --- | --- |');
    for (const error of variants(api, pallet.errors.unwrap().type)) {
      out.push(`| \`${error.name.toString()}\` | ${cell(docs(error.docs))} |`);
    }
    out.push('');
  }
  if (pallet.constants.length > 0) {
    out.push('## Constants', '', '| constant | value | meaning |', '| --- | --- | --- |');
    for (const c of pallet.constants) {
      const value = (api.consts as any)[section][stringCamelCase(c.name.toString())];
      out.push(`| \`${c.name.toString()}\` | \`${cell(JSON.stringify(value.toJSON()))}\` | ${cell(docs(c.docs))} |`);
    }
    out.push('');
  }
  if (pallet.storage.isSome) {
    out.push('## Storage', '', '| item | meaning |', '| --- | --- |');
    for (const item of pallet.storage.unwrap().items) {
      out.push(`| \`${stringCamelCase(item.name.toString())}\` | ${cell(docs(item.docs))} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function apisPage(api: ApiPromise): string {
  const out = [
    '# Runtime APIs',
    '',
    "tpwallet's own runtime APIs, as polkadot.js calls them: `api.call.<api>.<method>(...)` (read-only, at the best block or `api.at(hash)`).",
    '',
  ];
  for (const name of APIS) {
    const entry = (api.registry.metadata as any).apis.find((a: any) => a.name.toString() === name);
    if (!entry) continue;
    out.push(`## ${name}`, '', docs(entry.docs), '');
    for (const m of entry.methods) {
      const inputs = m.inputs.map((i: any) => `${stringCamelCase(i.name.toString())}: ${typeOf(api, i.type)}`).join(', ');
      out.push(
        `### \`api.call.${stringCamelCase(name)}.${stringCamelCase(m.name.toString())}(${inputs})\``,
        '',
        `Returns \`${typeOf(api, m.output)}\`.`,
        '',
        docs(m.docs) || '(undocumented)',
        '',
      );
    }
  }
  return out.join('\n');
}

function rpcPage(): string {
  const out = [
    '# JSON-RPC methods',
    '',
    "tpwallet's own methods, beside Substrate's. With the SDK's `apiOptions` (or `Tpwallet.connect`) they are",
    '`api.rpc.<section>.<method>`; without it, `provider.send("<section>_<method>", [params])`. Balances are',
    'decimal strings (JSON numbers lose precision above 2^53); `at` is an optional block hash (default: best).',
    '',
  ];
  for (const [section, methods] of Object.entries(rpc)) {
    for (const [method, def] of Object.entries(methods)) {
      const params = def.params.map((p) => `${p.name}${p.isOptional ? '?' : ''}: ${p.type}`).join(', ');
      out.push(`## \`${section}_${method}(${params})\``, '', def.description, '', `Returns \`${def.type}\`.`, '');
    }
  }
  out.push('Result types (fields as in the JSON):', '', '```json');
  out.push(JSON.stringify(rpcTypes, null, 2));
  out.push('```', '');
  return out.join('\n');
}

/** Every generated page, by file name under docs/reference/. */
export function renderReference(api: ApiPromise): Map<string, string> {
  const pages = new Map<string, string>();
  const pallets = (api.registry.metadata as any).pallets;
  const index = [
    '# tpwallet reference',
    '',
    'Generated from the runtime metadata and the SDK (`sdk/reference/render.ts`); do not edit by hand:',
    '`cd sdk && UPDATE_REFERENCE=1 npm test` rewrites these pages, and CI fails when they differ from the chain.',
    '',
    '- [Reading results](results.md): nested dispatch, finality, fees (written by hand)',
    '- [JSON-RPC methods](rpc.md)',
    '- [Runtime APIs](runtime-apis.md)',
    ...PALLETS.map((p) => `- [${p}](${kebab(p)}.md)`),
    '',
    `Runtime \`${api.runtimeVersion.specName.toString()}\` version ${api.runtimeVersion.specVersion.toNumber()}.`,
    '',
  ];
  pages.set('README.md', index.join('\n'));
  for (const name of PALLETS) {
    const pallet = pallets.find((p: any) => p.name.toString() === name);
    if (!pallet) throw new Error(`pallet ${name} is not in the runtime`);
    pages.set(`${kebab(name)}.md`, palletPage(api, pallet));
  }
  pages.set('runtime-apis.md', apisPage(api));
  pages.set('rpc.md', rpcPage());
  return pages;
}
