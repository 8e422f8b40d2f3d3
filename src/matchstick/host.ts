/**
 * The host side of matchstick-as 0.6.0: the 24 imports it declares (test registration, assertions, store helpers,
 * mocks) and matchstick's replacements of graph-ts host functions (the mock store, mocked `ethereum.call`, IPFS files,
 * data source mocks, `log.log`). Names, arguments and messages follow LimeChain/matchstick `src/context/mod.rs`;
 * every other graph-ts host function is the embedded runtime's own (../indexer/runtime/host).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ParamType } from "ethers";
import type { StoreValue } from "../indexer/runtime/asc.ts";
import { displayStoreValue } from "../indexer/runtime/entity.ts";
import { HostError } from "../indexer/runtime/errors.ts";
import type { EthValue } from "../indexer/runtime/eth-abi.ts";
import { parseJsonText } from "../indexer/runtime/json.ts";
import type { HostContext, HostFunctions } from "../indexer/runtime/host/index.ts";
import { readContractCall } from "../indexer/runtime/host/ethereum.ts";
import { EthereumValueKind as K, TypeId } from "../indexer/runtime/type-ids.ts";
import { hexToBytes } from "../indexer/values.ts";
import { MatchstickCritical } from "./errors.ts";
import type { Output } from "./output.ts";
import { MockStore, entityJson, type MockEntity } from "./store.ts";
import { mockedCallKey, storeValuesEqual, tokenValue } from "./values.ts";

/** A `test`, `describe` or hook registered by the module (matchstick's `meta_tests` entry). */
export interface Registration {
  role: "test" | "describe" | "beforeAll" | "afterAll" | "beforeEach" | "afterEach";
  name: string;
  shouldFail: boolean;
  /** The function's slot in the module's table. */
  index: number;
}

/** A data source created from a template (`dataSource.create`), as `logDataSources` shows it. */
interface CreatedDataSource {
  kind: string;
  name: string;
  address: string;
  context: Record<string, unknown> | null;
}

/** What one test file's instance sees: replaced wholesale for the throw-away instances that discover describes. */
export class Session {
  readonly store: MockStore;
  /** The store `store.get_in_block` reads (`mockInBlockStore`, `clearInBlockStore`). */
  readonly inBlock: MockStore;
  /** Mocked calls: return values, or null for a call that reverts. */
  readonly calls = new Map<string, EthValue[] | null>();
  readonly ipfs = new Map<string, string>();
  /** `dataSourceMock.setReturnValues`; null until set. */
  dataSource: { address: string; network: string; context: [string, StoreValue][] } | null = null;
  /** Created data sources by template, then by address. */
  readonly templates: Map<string, Map<string, CreatedDataSource>>;
  readonly registrations: Registration[] = [];

  constructor(host: MatchstickHost) {
    this.store = new MockStore(host.schema);
    this.inBlock = new MockStore(host.schema);
    this.templates = new Map(host.templates.map((t) => [t.name, new Map()]));
  }
}

export interface MatchstickHostOptions {
  ctx: HostContext;
  out: Output;
  /** Where relative paths of `readFile` and `mockIpfsFile` start. */
  root: string;
  templates: readonly { name: string; kind: string }[];
  /** Calls an exported function of a fresh instance sharing this session (for `ipfs.map` callbacks). */
  callInFreshInstance(name: string, args: (ctx: HostContext) => number[]): void;
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const HOOKS = new Set(["beforeAll", "afterAll", "beforeEach", "afterEach"]);

/** The state and imports of matchstick's host for one test file. */
export class MatchstickHost {
  session: Session;
  readonly schema;
  readonly templates;

  constructor(private readonly options: MatchstickHostOptions) {
    this.schema = options.ctx.env.schema.schema;
    this.templates = options.templates;
    this.session = new Session(this);
  }

  /** A session of its own, for a throw-away instance. */
  newSession(): Session {
    return new Session(this);
  }

  private get heap() {
    return this.options.ctx.heap;
  }

  private get out(): Output {
    return this.options.out;
  }

  private str(ptr: number): string {
    return this.heap.readString(ptr >>> 0);
  }

  private entity(ptr: number): MockEntity {
    return new Map(this.heap.readEntity(ptr >>> 0));
  }

  private writeEntity(entity: MockEntity): number {
    return this.heap.writeEntity([...entity]);
  }

  /** A failed assertion: the message on an error line, and false for the AS side to throw on. */
  private fail(message: string): number {
    this.out.log(1, message);
    return 0;
  }

  private readFileText(path: string): string {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(resolve(this.options.root, path)));
    } catch (error) {
      throw new MatchstickCritical(`Failed to read file \`${path}\` with error: ${(error as Error).message}`);
    }
  }

  /**
   * The host functions, by import field name: the runtime's, with matchstick's added and replaced. Each of
   * matchstick's first refreshes the heap's views, which memory growth since the last host call has detached.
   */
  functions(runtime: HostFunctions): HostFunctions {
    const own = { ...this.registration(), ...this.assertions(), ...this.storeHelpers(), ...this.mocks(), ...this.graphTs() };
    const heap = this.heap;
    const refreshing = Object.entries(own).map(([name, fn]) => [name, (...args: number[]) => (heap.refresh(), fn(...args))]);
    return { ...runtime, ...Object.fromEntries(refreshing) };
  }

  private registration(): HostFunctions {
    const register = (entry: Registration) => {
      this.session.registrations.push(entry);
    };
    return {
      _registerTest: (name, shouldFail, index) =>
        register({ role: "test", name: this.str(name), shouldFail: shouldFail !== 0, index: index >>> 0 }),
      _registerDescribe: (name, index) => register({ role: "describe", name: this.str(name), shouldFail: false, index: index >>> 0 }),
      _registerHook: (index, type) => {
        const role = this.str(type);
        if (!HOOKS.has(role)) throw new MatchstickCritical(`Unrecognized function type \`${role}\``);
        register({ role: role as Registration["role"], name: "", shouldFail: false, index: index >>> 0 });
      },
    };
  }

  private fieldEquals(type: string, id: string, field: string, expected: string, message: string | null): number {
    const store = this.session.store;
    if (!store.hasType(type)) return this.fail(`(assert.fieldEquals) No entities with type '${type}' found.`);
    const entity = store.get(type, id);
    if (!entity) return this.fail(`(assert.fieldEquals) No entity with type '${type}' and id '${id}' found.`);
    const value = entity.get(field);
    if (value === undefined) {
      return this.fail(`(assert.fieldEquals) No field named '${field}' on entity with type '${type}' and id '${id}' found.`);
    }
    const actual = displayStoreValue(value);
    if (actual === expected) return 1;
    return this.fail(
      `(assert.fieldEquals) ${message ?? `Expected field '${field}' to equal '${expected}', but was '${actual}' instead.`}`,
    );
  }

  private equals(expectedPtr: number, actualPtr: number, message: string | null): number {
    const expected = tokenValue(this.heap.readEthValue(expectedPtr >>> 0));
    const actual = tokenValue(this.heap.readEthValue(actualPtr >>> 0));
    if (storeValuesEqual(expected, actual)) return 1;
    const text = `Expected value was '${displayStoreValue(expected)}' but actual value was '${displayStoreValue(actual)}'`;
    return this.fail(`(assert.equals) ${message ?? text}`);
  }

  private notInStore(type: string, id: string, message: string | null): number {
    if (!this.session.store.has(type, id)) return 1;
    return this.fail(`(assert.notInStore) ${message ?? `Value for entity type: '${type}' and id: '${id}' was found in store.`}`);
  }

  private dataSourceCount(template: string, expected: number, message: string | null): number {
    const created = this.session.templates.get(template);
    // "dataSourceCoutn" is matchstick's own spelling.
    if (!created) return this.fail(`(assert.dataSourceCoutn) No template with name '${template}' found.`);
    if (created.size === expected) return 1;
    const text = `Expected dataSource count for template \`${template}\` to be '${expected}' but was '${created.size}'`;
    return this.fail(`(assert.dataSourceCount) ${message ?? text}`);
  }

  private dataSourceExists(template: string, address: string, message: string | null): number {
    const created = this.session.templates.get(template);
    if (!created) return this.fail(`(assert.dataSourceExists) No template with name '${template}' found.`);
    if (created.has(address)) return 1;
    return this.fail(`(assert.dataSourceExists) ${message ?? `No dataSource with address '${address}' found for template '${template}'`}`);
  }

  private assertions(): HostFunctions {
    const s = (ptr: number) => this.str(ptr);
    return {
      "_assert.fieldEquals": (t, id, f, v) => this.fieldEquals(s(t), s(id), s(f), s(v), null),
      "_assert.fieldEqualsWithMessage": (t, id, f, v, m) => this.fieldEquals(s(t), s(id), s(f), s(v), s(m)),
      "_assert.equals": (e, a) => this.equals(e, a, null),
      "_assert.equalsWithMessage": (e, a, m) => this.equals(e, a, s(m)),
      "_assert.notInStore": (t, id) => this.notInStore(s(t), s(id), null),
      "_assert.notInStoreWithMessage": (t, id, m) => this.notInStore(s(t), s(id), s(m)),
      "_assert.dataSourceCount": (t, n) => this.dataSourceCount(s(t), n >>> 0, null),
      "_assert.dataSourceCountWithMessage": (t, n, m) => this.dataSourceCount(s(t), n >>> 0, s(m)),
      "_assert.dataSourceExists": (t, a) => this.dataSourceExists(s(t), s(a), null),
      "_assert.dataSourceExistsWithMessage": (t, a, m) => this.dataSourceExists(s(t), s(a), s(m)),
    };
  }

  private logEntity(type: string, id: string, showRelated: boolean): void {
    const def = this.schema.entities.get(type);
    if (!def) throw new MatchstickCritical(`(logEntity) Entity "${type}" does not match any of the schema definitions`);
    const entity = this.session.store.get(type, id);
    const shown: Record<string, unknown> = entity ? entityJson(entity) : {};
    if (entity && showRelated) {
      for (const field of def.fields.filter((f) => f.derivedFrom !== undefined)) {
        shown[field.name] = this.session.store.related(type, id, field.name).map(entityJson);
      }
    }
    this.out.log(4, JSON.stringify(shown, null, 2));
  }

  private storeHelpers(): HostFunctions {
    return {
      clearStore: () => this.session.store.clear(),
      clearInBlockStore: () => this.session.inBlock.clear(),
      logStore: () => this.out.log(4, this.session.store.toJson()),
      logEntity: (type, id, showRelated) => this.logEntity(this.str(type), this.str(id), showRelated !== 0),
      countEntities: (type) => this.session.store.count(this.str(type)),
      mockInBlockStore: (type, id, data) => this.session.inBlock.set(this.str(type), this.str(id), this.entity(data)),
      logDataSources: (templatePtr) => {
        const template = this.str(templatePtr);
        const created = this.session.templates.get(template);
        if (!created) throw new MatchstickCritical(`(logDataSources) No template with name '${template}' found.`);
        this.out.log(4, JSON.stringify(Object.fromEntries(created), null, 2));
      },
    };
  }

  private mockFunction(addressPtr: number, namePtr: number, signaturePtr: number, argsPtr: number, returnsPtr: number, reverts: boolean): void {
    const heap = this.heap;
    const address = heap.readBytes(addressPtr >>> 0);
    const name = this.str(namePtr);
    const signature = this.str(signaturePtr);
    const args = heap.readArray(argsPtr >>> 0).map((p) => heap.readEthValue(p));
    const returns = heap.readArray(returnsPtr >>> 0).map((p) => heap.readEthValue(p));
    if (signature.split("(")[0] !== name) {
      throw new HostError("invalid-argument", `createMockedFunction: function name \`${name}\` should match the name in the function signature \`${signature}\``);
    }
    const types = argumentTypes(signature, name);
    if (types.length !== args.length) {
      throw new HostError("invalid-argument", `${name} expected ${types.length} arguments, but received ${args.length}`);
    }
    types.forEach((type, i) => {
      if (!typeChecks(args[i]!, type)) {
        throw new HostError(
          "invalid-argument",
          `createMockedFunction \`${name}\` parameters mismatch at position ${i + 1}: expected ${type.format("sighash")}, received ${describeEthValue(args[i]!)}`,
        );
      }
    });
    this.session.calls.set(mockedCallKey(address, name, signature, args), reverts ? null : returns);
  }

  private mocks(): HostFunctions {
    return {
      mockFunction: (a, n, s, args, r, reverts) => this.mockFunction(a, n, s, args, r, reverts !== 0),
      mockIpfsFile: (hash, path) => {
        this.session.ipfs.set(this.str(hash), this.str(path));
      },
      readFile: (path) => this.heap.writeBytes(new TextEncoder().encode(this.readFileText(this.str(path)))),
      "dataSourceMock.setReturnValues": (address, network, context) => {
        this.session.dataSource = { address: this.str(address), network: this.str(network), context: this.heap.readEntity(context >>> 0) };
      },
    };
  }

  private ipfsFile(hash: string): string {
    const path = this.session.ipfs.get(hash);
    if (path === undefined) throw new MatchstickCritical(`IPFS file \`${hash}\` not found`);
    return this.readFileText(path);
  }

  private ipfsMap(link: string, callback: string, userData: StoreValue): void {
    const text = this.ipfsFile(link);
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (error) {
      throw new MatchstickCritical(`IPFS file \`${link}\` is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(items)) throw new MatchstickCritical(`IPFS file \`${link}\` is not a JSON array`);
    for (const item of items) {
      const value = parseJsonText(JSON.stringify(item));
      this.options.callInFreshInstance(callback, (ctx) => [ctx.heap.writeJsonValue(value), ctx.heap.writeStoreValue(userData)]);
    }
  }

  private createDataSource(namePtr: number, paramsPtr: number, contextPtr: number | null): void {
    const name = this.str(namePtr);
    const params = this.heap.readStringArray(paramsPtr >>> 0);
    const template = this.templates.find((t) => t.name === name);
    if (!template) {
      const names = this.templates.map((t) => t.name).join(", ");
      throw new HostError("data-source", `Failed to create data source from name \`${name}\`: No template with this name available. Available names: ${names}.`);
    }
    const context = contextPtr === null ? null : entityJson(this.entity(contextPtr));
    const address = params[0] ?? "";
    this.session.templates.get(name)!.set(address, { kind: template.kind, name, address, context });
  }

  private dataSourceAddress(): number {
    const mocked = this.session.dataSource?.address;
    if (mocked === undefined) {
      this.out.log(1, "No mocked Eth address or Ipfs CID found, so fallback to Eth Zero address");
      return this.heap.writeBytes(hexToBytes(ZERO_ADDRESS));
    }
    const hex = mocked.startsWith("0x") ? mocked.slice(2) : mocked;
    const address = /^[0-9a-fA-F]{40}$/.test(hex) ? hexToBytes(`0x${hex}`) : new Uint8Array(20);
    const valid = address.some((b) => b !== 0) || mocked === ZERO_ADDRESS;
    return this.heap.writeBytes(valid ? address : new TextEncoder().encode(mocked));
  }

  /** matchstick's versions of graph-ts host functions. */
  private graphTs(): HostFunctions {
    const heap = this.heap;
    const s = (ptr: number) => this.str(ptr);
    const write = (entity: MockEntity | null) => (entity === null ? 0 : this.writeEntity(entity));
    return {
      "store.get": (type, id) => write(this.session.store.get(s(type), s(id))),
      "store.get_in_block": (type, id) => write(this.session.inBlock.get(s(type), s(id))),
      "store.loadRelated": (type, id, field) => {
        const related = this.session.store.related(s(type), s(id), s(field));
        return heap.writeArray(related.map((entity) => this.writeEntity(entity)), TypeId.ArrayTypedMapStringStoreValue);
      },
      "store.set": (type, id, data) => this.session.store.set(s(type), s(id), this.entity(data)),
      "store.remove": (type, id) => this.session.store.remove(s(type), s(id)),
      "ethereum.call": (ptr) => {
        const call = readContractCall(this.options.ctx, ptr >>> 0);
        const signature = call.functionSignature ?? "";
        const key = mockedCallKey(call.contractAddress, call.functionName, signature, call.functionParams);
        const result = this.session.calls.get(key);
        if (result === undefined) {
          const address = `0x${Buffer.from(call.contractAddress).toString("hex")}`;
          const params = call.functionParams.map(describeEthValue).join(", ");
          throw new HostError(
            "invalid-argument",
            `Could not find a mocked function with the following parameters, address: ${address}, name: ${call.functionName}, signature ${signature}, params: [${params}].`,
          );
        }
        return result === null ? 0 : heap.writeEthValueArray(result);
      },
      "ipfs.cat": (hash) => heap.writeBytes(new TextEncoder().encode(this.ipfsFile(s(hash)))),
      "ipfs.map": (link, callback, userData) => this.ipfsMap(s(link), s(callback), heap.readStoreValue(userData >>> 0)),
      "dataSource.create": (name, params) => this.createDataSource(name, params, null),
      "dataSource.createWithContext": (name, params, context) => this.createDataSource(name, params, context),
      "dataSource.address": () => this.dataSourceAddress(),
      "dataSource.network": () => heap.writeString(this.session.dataSource?.network ?? "mainnet"),
      "dataSource.context": () => heap.writeEntity(this.session.dataSource?.context ?? []),
      "log.log": (level, message) => {
        const text = s(message);
        if (level === 0) throw new MatchstickCritical(text);
        this.out.log(level >>> 0, text);
      },
    };
  }
}

/** The argument types of `name(types):(outputs)`, split at top-level commas. */
function argumentTypes(signature: string, name: string): ParamType[] {
  const open = name.length;
  let depth = 0;
  let close = -1;
  for (let i = open; i < signature.length; i++) {
    if (signature[i] === "(") depth++;
    else if (signature[i] === ")" && --depth === 0) {
      close = i;
      break;
    }
  }
  const inner = close < 0 ? "" : signature.slice(open + 1, close);
  const types: string[] = [];
  let current = "";
  depth = 0;
  for (const c of inner) {
    if (c === "," && depth === 0) {
      types.push(current);
      current = "";
      continue;
    }
    if (c === "(") depth++;
    if (c === ")") depth--;
    current += c;
  }
  if (current.trim() !== "") types.push(current);
  return types.map((type) => {
    try {
      return ParamType.from(type.trim());
    } catch {
      throw new MatchstickCritical(`Unrecognized argument type \`${type.trim()}\``);
    }
  });
}

/** ethabi's `Token::type_check`: any int size for Int/Uint, fixed bytes no longer than the type. */
function typeChecks(value: EthValue, type: ParamType): boolean {
  if (type.isArray()) {
    const fixed = type.arrayLength >= 0;
    if (value.kind !== (fixed ? K.FIXED_ARRAY : K.ARRAY)) return false;
    if (fixed && value.value.length !== type.arrayLength) return false;
    return value.value.every((item) => typeChecks(item, type.arrayChildren));
  }
  if (type.isTuple()) {
    return value.kind === K.TUPLE && value.value.length === type.components.length && value.value.every((v, i) => typeChecks(v, type.components[i]!));
  }
  const base = type.baseType;
  if (base === "bytes") return value.kind === K.BYTES;
  if (base.startsWith("bytes")) return value.kind === K.FIXED_BYTES && value.value.length <= Number(base.slice(5));
  if (base.startsWith("uint")) return value.kind === K.UINT;
  if (base.startsWith("int")) return value.kind === K.INT;
  return value.kind === { address: K.ADDRESS, bool: K.BOOL, string: K.STRING }[base];
}

const KIND_NAMES = ["Address", "FixedBytes", "Bytes", "Int", "Uint", "Bool", "String", "FixedArray", "Array", "Tuple"];

/** A value as ethabi's Debug shows a token, e.g. `Uint(5)`, `Address(0x…)`. */
function describeEthValue(value: EthValue): string {
  const inner =
    value.kind === K.FIXED_ARRAY || value.kind === K.ARRAY || value.kind === K.TUPLE
      ? `[${value.value.map(describeEthValue).join(", ")}]`
      : value.value instanceof Uint8Array
        ? `0x${Buffer.from(value.value).toString("hex")}`
        : JSON.stringify(typeof value.value === "bigint" ? value.value.toString() : value.value).replace(/^"(-?\d+)"$/, "$1");
  return `${KIND_NAMES[value.kind]}(${inner})`;
}
