// The read model shares hex and hashing helpers with Node code (src/core) that use Node's Buffer; in the browser it
// comes from the `buffer` package (the same API). Imported first by main.tsx, so it exists before any other module runs.
import { Buffer } from "buffer";

(globalThis as { Buffer?: typeof Buffer }).Buffer ??= Buffer;
