/**
 * A minimal safetensors reader: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the data. Float32 tensors come back as Float32Array
 * views (copied once when the data is not 4-byte aligned in the buffer).
 */

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export interface SafetensorsFile {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Parses a safetensors file held in memory. Only F32 tensors are supported (the tiny model's only dtype). */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.byteLength < 8) throw new Error('safetensors: file shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.byteLength) throw new Error('safetensors: header length runs past the end of the file');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (value ?? {}) as Record<string, string>;
      continue;
    }
    const entry = value as HeaderEntry;
    if (entry.dtype !== 'F32') throw new Error(`safetensors: tensor ${name} has dtype ${entry.dtype}; only F32 is supported`);
    const [start, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (end - start !== count * 4 || dataStart + end > bytes.byteLength) {
      throw new Error(`safetensors: tensor ${name} has a byte range that does not match its shape`);
    }
    const offset = bytes.byteOffset + dataStart + start;
    const data =
      offset % 4 === 0
        ? new Float32Array(bytes.buffer, offset, count)
        : new Float32Array(bytes.buffer.slice(offset, offset + count * 4) as ArrayBuffer);
    tensors.set(name, { shape: entry.shape, data });
  }
  return { tensors, metadata };
}

/** Writes float32 tensors as a safetensors file (header padded with spaces to a multiple of 8). Used by tests. */
export function serializeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const tensor of Object.values(tensors)) {
    out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), at);
    at += tensor.data.byteLength;
  }
  return out;
}

/** The tensor called `name`, checked against the expected shape. */
export function requireTensor(file: SafetensorsFile, name: string, shape: number[]): Float32Array {
  const tensor = file.tensors.get(name);
  if (!tensor) throw new Error(`safetensors: missing tensor ${name}`);
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`safetensors: tensor ${name} has shape [${tensor.shape}], expected [${shape}]`);
  }
  return tensor.data;
}
